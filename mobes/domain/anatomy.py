"""The body a figure is drawn with: joints, their angles and signs, segment lengths, the
normal range of motion, which joints each catalog region moves, and starting postures.

Pure data, standard library only. Conventions (every angle in degrees):

* Body axes: X to the person's left, Y up, Z forward (the way the chest faces).
* Angles are anatomical and read the same on both sides, so mirroring a figure swaps the
  ``l_`` and ``r_`` joints and negates only the sideways angles of the trunk, neck and root
  (``lat``, ``rot``, ``roll``, ``yaw``).
* Trunk and neck (``lumbar``, ``thoracic``, ``neck``): ``flex`` + forward / - backward,
  ``lat`` + bends to the right, ``rot`` + turns to the left.
* ``root`` places the pelvis in the world: ``pitch`` + tips the body forward (-90 lies it
  face up, +90 face down), ``roll`` + tips it over to the right, ``yaw`` + turns it left
  (about its own long axis, so a body lying face up rolls onto its left side).
* Limbs: ``hip`` flex / abd (out to the side) / rot (+ internal); ``knee`` flex;
  ``ankle`` dorsi (+ toes up, - pointed) / inv (+ sole turned in); ``toes`` flex (+ curled);
  ``collar`` (shoulder girdle) elev (+ shrug) / prot (+ shoulder forward);
  ``shoulder`` plane (0 = out to the side, 90 = straight ahead, above 90 across the body,
  below 0 behind) / elev (how far the arm is raised from hanging) / rot (+ internal);
  ``elbow`` flex / pron (+ palm turns down, - up); ``wrist`` flex (+ toward the palm) /
  dev (+ toward the thumb); ``fingers`` flex; ``thumb`` flex (+ across the palm,
  - opened wide).
* ``belly`` draw: how far the belly is drawn in, 0-100 % (the abdominal lift).

Lengths are in units of a body 100 tall (segment fractions of stature after D. A. Winter,
"Biomechanics and Motor Control of Human Movement", 4th ed. 2009, fig. 4.1).
"""

from __future__ import annotations

SIDES = ("l", "r")

# joint -> its angles, in the order they are applied
JOINT_DOFS: dict[str, tuple[str, ...]] = {
    "root": ("pitch", "roll", "yaw"),
    "lumbar": ("flex", "lat", "rot"),
    "thoracic": ("flex", "lat", "rot"),
    "neck": ("flex", "lat", "rot"),
    "belly": ("draw",),
    "collar": ("elev", "prot"),
    "shoulder": ("plane", "elev", "rot"),
    "elbow": ("flex", "pron"),
    "wrist": ("flex", "dev"),
    "fingers": ("flex",),
    "thumb": ("flex",),
    "hip": ("flex", "abd", "rot"),
    "knee": ("flex",),
    "ankle": ("dorsi", "inv"),
    "toes": ("flex",),
}
AXIAL = ("root", "lumbar", "thoracic", "neck", "belly")
LIMB = tuple(j for j in JOINT_DOFS if j not in AXIAL)
# every joint name a figure may use: axial joints once, limb joints per side
JOINTS: tuple[str, ...] = AXIAL + tuple(f"{s}_{j}" for s in SIDES for j in LIMB)
# angles that change sign when a figure is mirrored left <-> right
MIRRORED_DOFS = frozenset({"lat", "rot", "roll", "yaw"})


def joint_type(joint: str) -> str:
    """'r_hip' -> 'hip'; axial joints are their own type."""
    return joint[2:] if joint[:2] in ("l_", "r_") else joint


def joint_side(joint: str) -> str | None:
    return joint[0] if joint[:2] in ("l_", "r_") else None


# ------------------------------------------------------------------ range of motion
# Normal active range of motion of adults, in the angles above. Source: American Academy
# of Orthopaedic Surgeons, "Joint Motion: Method of Measuring and Recording" (AAOS,
# Chicago 1965; the same averages are reprinted in Green & Heckman, "The Clinical
# Measurement of Joint Motion", AAOS 1994). Soucie et al. 2011, "Range of motion
# measurements: reference values and a database for comparison studies", Haemophilia
# 17:500-507, measured 674 healthy people and found most averages within a few degrees of
# these, lower with age. Where AAOS gives no figure the row says what it rests on.
# (lo, hi, what the angle is)
ROM: dict[tuple[str, str], tuple[float, float, str]] = {
    # thoracolumbar spine, AAOS: flexion 80, extension 25, lateral bending 35, rotation 45.
    # The figure bends it at two joints; their sum is checked against these (SPINE_TOTAL).
    ("lumbar", "flex"): (-25, 80, "lumbar flexion (- extension)"),
    ("lumbar", "lat"): (-35, 35, "lumbar side bending"),
    ("lumbar", "rot"): (-45, 45, "lumbar rotation"),
    ("thoracic", "flex"): (-25, 80, "thoracic flexion (- extension)"),
    ("thoracic", "lat"): (-35, 35, "thoracic side bending"),
    ("thoracic", "rot"): (-45, 45, "thoracic rotation"),
    # cervical spine, AAOS: flexion 45, extension 45, lateral bending 45, rotation 60
    ("neck", "flex"): (-45, 45, "neck flexion (- extension)"),
    ("neck", "lat"): (-45, 45, "neck side bending"),
    ("neck", "rot"): (-60, 60, "neck rotation"),
    ("belly", "draw"): (0, 100, "belly drawn in (%)"),
    # shoulder girdle (sternoclavicular): not in AAOS. Elevation with the arm raised to
    # about 30-35 degrees (Inman, Saunders & Abbott 1944, J Bone Joint Surg 26:1-30);
    # retraction and protraction of about 15-25 degrees (Ludewig et al. 2009, J Bone Joint
    # Surg Am 91:378-389).
    ("collar", "elev"): (-10, 35, "shoulder girdle elevation (- depression)"),
    ("collar", "prot"): (-25, 20, "shoulder girdle protraction (- retraction)"),
    # shoulder, AAOS: flexion 180, extension 60, abduction 180, horizontal flexion 135 and
    # extension 45 (from 90 degrees of abduction), internal rotation 70, external 90.
    # How far the arm may go behind the body: see shoulder_behind_limit.
    ("shoulder", "plane"): (-90, 135, "plane of arm elevation"),
    ("shoulder", "elev"): (0, 180, "arm elevation"),
    ("shoulder", "rot"): (-90, 70, "shoulder internal rotation (- external)"),
    # elbow and forearm, AAOS: flexion 150, pronation 80, supination 80
    ("elbow", "flex"): (0, 150, "elbow flexion"),
    ("elbow", "pron"): (-80, 80, "forearm pronation (- supination)"),
    # wrist, AAOS: flexion 80, extension 70, radial deviation 20, ulnar deviation 30
    ("wrist", "flex"): (-70, 80, "wrist flexion (- extension)"),
    ("wrist", "dev"): (-30, 20, "wrist radial deviation (- ulnar)"),
    # fingers (metacarpophalangeal), AAOS: flexion 90, hyperextension 45
    ("fingers", "flex"): (-45, 90, "finger flexion (- extension)"),
    # thumb, AAOS: carpometacarpal abduction 70 (opening the web space), metacarpophalangeal
    # flexion 50 (across the palm)
    ("thumb", "flex"): (-70, 50, "thumb flexion (- opened wide)"),
    # hip, AAOS: flexion 120, extension 30, abduction 45, adduction 30, rotation 45 each way
    ("hip", "flex"): (-30, 120, "hip flexion (- extension)"),
    ("hip", "abd"): (-30, 45, "hip abduction (- adduction)"),
    ("hip", "rot"): (-45, 45, "hip internal rotation (- external)"),
    # knee, AAOS: flexion 135
    ("knee", "flex"): (0, 135, "knee flexion"),
    # ankle and foot, AAOS: dorsiflexion 20, plantar flexion 50, inversion 35, eversion 15
    ("ankle", "dorsi"): (-50, 20, "ankle dorsiflexion (- plantar flexion)"),
    ("ankle", "inv"): (-15, 35, "foot inversion (- eversion)"),
    # great toe (metatarsophalangeal), AAOS: flexion 45, extension 70
    ("toes", "flex"): (-70, 45, "toe flexion (- extension)"),
}
# sums over lumbar + thoracic, AAOS thoracolumbar values
SPINE_TOTAL: dict[str, tuple[float, float]] = {"flex": (-25, 80), "lat": (-35, 35),
                                               "rot": (-45, 45)}


def shoulder_behind_limit(elev: float) -> float:
    """How far (degrees) an arm raised ``elev`` may reach behind the body's frontal plane.
    AAOS: extension 60 (the arm reaching back from the side), horizontal extension 45 (at
    shoulder height); between them the limit changes smoothly."""
    return 45.0 + 15.0 * min(1.0, abs(elev - 90.0) / 30.0)

# ------------------------------------------------------------------ body dimensions
# units: stature 100 (Winter: shoulder 81.8, hip 53.0, knee 28.5, ankle 3.9, upper arm
# 18.6, forearm 14.6, hand 10.8, foot 15.2, shoulder width 25.9, hip width 19.1)
HIP_HALF = 8.5  # hip joint centres from the midline
HIP_TO_LUMBAR = (0.0, 7.0, -1.0)  # lumbosacral junction, in the pelvis frame
ABDOMEN = 10.0  # lumbar -> thoracic joint
CHEST = 12.0  # thoracic joint -> base of the neck (C7)
NECK = (0.0, 5.5, 0.8)  # C7 -> base of the skull
HEAD_CENTRE = (0.0, 5.5, 1.2)  # base of the skull -> centre of the head
HEAD_R = 6.5
COLLAR = 13.0  # base of the neck -> shoulder joint
UPPER_ARM, FOREARM, PALM, FINGERS, THUMB = 18.6, 14.6, 6.0, 4.8, 4.2
THUMB_BASE = (0.0, -1.2, 1.4)  # from the wrist, in the hand frame (thumb points forward)
THUMB_DIR = (0.0, -0.6, 0.8)
THIGH, SHIN = 24.5, 24.6
BALL = (0.0, -3.9, 8.5)  # ankle -> ball of the foot, in the foot frame
HEEL = (0.0, -3.9, -3.0)
TOES = 3.7
SEAT = 24.0  # chair seat height
BED = 30.0  # bed top
MAT = 1.5  # mat thickness

# segment -> (from point, to point): the lengths the checks hold constant
SEGMENTS: dict[str, tuple[str, str]] = {
    "pelvis": ("l_hip", "r_hip"),
    "sacrum": ("hip_c", "lumbar"),
    "abdomen": ("lumbar", "thoracic"),
    "chest": ("thoracic", "c7"),
    "neck": ("c7", "skull"),
    "head": ("skull", "head"),
}
for _s in SIDES:
    SEGMENTS.update({
        f"{_s}_collar": ("c7", f"{_s}_shoulder"),
        f"{_s}_upper_arm": (f"{_s}_shoulder", f"{_s}_elbow"),
        f"{_s}_forearm": (f"{_s}_elbow", f"{_s}_wrist"),
        f"{_s}_hand": (f"{_s}_wrist", f"{_s}_knuckles"),
        f"{_s}_fingers": (f"{_s}_knuckles", f"{_s}_fingertips"),
        f"{_s}_thumb": (f"{_s}_thumb_base", f"{_s}_thumb_tip"),
        f"{_s}_thigh": (f"{_s}_hip", f"{_s}_knee"),
        f"{_s}_shin": (f"{_s}_knee", f"{_s}_ankle"),
        f"{_s}_foot": (f"{_s}_heel", f"{_s}_ball"),
        f"{_s}_toes": (f"{_s}_ball", f"{_s}_toe"),
    })

# the segments each joint turns directly (the highlight when that joint moves)
JOINT_SEGMENTS: dict[str, tuple[str, ...]] = {
    "root": ("pelvis", "sacrum"), "lumbar": ("abdomen",), "thoracic": ("chest",),
    "neck": ("neck", "head"), "belly": ("belly",),
    "collar": ("collar",), "shoulder": ("upper_arm",), "elbow": ("forearm",),
    "wrist": ("hand",), "fingers": ("fingers",), "thumb": ("thumb",), "hip": ("thigh",),
    "knee": ("shin",), "ankle": ("foot",), "toes": ("toes",),
}


def joint_segments(joint: str) -> tuple[str, ...]:
    side = joint_side(joint)
    names = JOINT_SEGMENTS[joint_type(joint)]
    return tuple(f"{side}_{n}" for n in names) if side else names


# flesh around each point (for contact with the floor, a seat or a bed)
RADII: dict[str, float] = {
    "hip_c": 6.0, "lumbar": 6.0, "thoracic": 6.0, "c7": 5.5, "skull": 3.5, "head": HEAD_R,
    "shoulder": 4.5, "elbow": 3.0, "wrist": 2.0, "knuckles": 1.2, "fingertips": 0.8,
    "thumb_base": 1.2, "thumb_tip": 0.8, "hip": 6.0, "knee": 3.5, "ankle": 3.0,
    "heel": 0.5, "ball": 0.5, "toe": 0.5, "eye": 0.0, "nose": 0.0,
}


def radius(point: str) -> float:
    return RADII.get(point[2:] if point[:2] in ("l_", "r_") else point, 0.0)


# ------------------------------------------------------------------ catalog regions
# The joints whose muscles make up each catalog region (a region's own joints move when
# the region is worked). Regions name muscle areas, so a region also lists the joints its
# muscles cross: the calves cross the knee, the upper trapezius ("shoulders") the neck.
REGION_JOINTS: dict[str, frozenset[str]] = {
    "neck": frozenset({"neck"}),
    "shoulders": frozenset({"shoulder", "collar", "neck"}),
    "upper-back": frozenset({"thoracic", "collar", "shoulder", "neck"}),
    "chest": frozenset({"thoracic", "collar", "shoulder"}),
    "lower-back": frozenset({"lumbar", "root"}),
    "core": frozenset({"lumbar", "thoracic", "belly", "root"}),
    "hips": frozenset({"hip", "root"}),
    "glutes": frozenset({"hip"}),
    "thighs": frozenset({"hip", "knee"}),
    "knees": frozenset({"knee", "hip"}),
    "calves": frozenset({"ankle", "knee"}),
    "ankles-feet": frozenset({"ankle", "toes"}),
    "elbows": frozenset({"elbow", "wrist"}),
    "wrists-hands": frozenset({"wrist", "fingers", "thumb", "elbow"}),
}

# ------------------------------------------------------------------ postures
# A figure starts from one of these and changes what it needs. ``support``: points that
# rest on ``surface`` (the lowest of them touches it); ``anchor``: points whose middle
# stays put while the figure moves; ``planted``: feet (or hands, knees) that stay on their
# surface unless a figure lifts them. "planted" as support or anchor means the planted
# parts' own points (so a figure that lifts one foot stands on the other).
_SEATED_LEGS = {"hip": {"flex": 90}, "knee": {"flex": 90}}
_ARMS_ON_THIGHS = {"shoulder": {"plane": 80, "elev": 25}, "elbow": {"flex": 55}}
POSTURES: dict[str, dict] = {
    "standing": {
        "pose": {"shoulder": {"elev": 5}},
        "support": "planted", "surface": "floor", "anchor": "planted",
        "planted": ("l_foot", "r_foot"),
    },
    "seated": {
        "pose": {**_SEATED_LEGS, **_ARMS_ON_THIGHS},
        "support": ("l_hip", "r_hip"), "surface": "seat", "anchor": ("hip_c",),
        "planted": ("l_foot", "r_foot"),
    },
    "edge-sitting": {  # on the edge of a bed, feet on the floor
        "pose": {**_SEATED_LEGS, **_ARMS_ON_THIGHS},
        "support": ("l_hip", "r_hip"), "surface": "bed-edge", "anchor": ("hip_c",),
        "planted": ("l_foot", "r_foot"),
    },
    "long-sitting": {  # on the floor, legs straight out in front
        "pose": {"hip": {"flex": 90}, "shoulder": {"plane": 90, "elev": 35},
                 "elbow": {"flex": 25}},
        "support": ("l_hip", "r_hip", "l_heel", "r_heel"), "surface": "floor",
        "anchor": ("hip_c",), "planted": (),
    },
    "supine": {
        "pose": {"root": {"pitch": -90}, "shoulder": {"elev": 10}},
        "support": ("hip_c", "l_hip", "r_hip", "thoracic", "c7", "head"), "surface": "floor",
        "anchor": ("c7",), "planted": (),
    },
    "hook-lying": {  # on the back, knees bent, feet flat
        "pose": {"root": {"pitch": -90}, "shoulder": {"elev": 10}, "hip": {"flex": 41},
                 "knee": {"flex": 90}, "ankle": {"dorsi": -45}},
        "support": ("hip_c", "l_hip", "r_hip", "thoracic", "c7", "head"), "surface": "floor",
        "anchor": ("c7",), "planted": ("l_foot", "r_foot"),
    },
    "prone": {
        "pose": {"root": {"pitch": 90}, "neck": {"rot": 60, "flex": -10},
                 "shoulder": {"elev": 10}, "ankle": {"dorsi": -40}, "toes": {"flex": 20}},
        "support": ("hip_c", "thoracic", "c7", "l_knee", "r_knee"), "surface": "floor",
        "anchor": ("c7",), "planted": (),
    },
    "side-lying": {  # on the right side, head toward the viewer's left in front view
        "across": True,  # lies along x: seen from above it is turned to lie across
        "pose": {"root": {"roll": 84}, "neck": {"lat": 20},
                 "r_shoulder": {"plane": 90, "elev": 80}, "r_elbow": {"flex": 90},
                 "l_shoulder": {"plane": 60, "elev": 30}, "l_elbow": {"flex": 30},
                 "r_hip": {"flex": 30, "abd": -6}, "l_hip": {"flex": 30, "abd": 6},
                 "knee": {"flex": 40}},
        "support": ("r_shoulder", "r_hip", "head"), "surface": "floor",
        "anchor": ("hip_c",), "planted": (),
    },
    "kneeling": {  # upright on the knees, tops of the feet on the floor
        "pose": {"knee": {"flex": 90}, "ankle": {"dorsi": -50}, "toes": {"flex": 25},
                 "shoulder": {"elev": 5}},
        "support": "planted", "surface": "floor", "anchor": "planted",
        "planted": ("l_knee", "r_knee"),
    },
    "all-fours": {
        "pose": {"root": {"pitch": 76}, "neck": {"flex": -35},
                 "shoulder": {"plane": 90, "elev": 76}, "elbow": {"pron": 80},
                 "wrist": {"flex": -70},
                 "fingers": {"flex": -20}, "hip": {"flex": 76}, "knee": {"flex": 90},
                 "ankle": {"dorsi": -50}, "toes": {"flex": 25}},
        "support": "planted", "surface": "floor", "anchor": "planted",
        "planted": ("l_knee", "r_knee", "l_hand", "r_hand"),
    },
    "squatting": {
        "pose": {"root": {"pitch": 25}, "hip": {"flex": 115, "abd": 15, "rot": -15},
                 "knee": {"flex": 110}, "ankle": {"dorsi": 20},
                 "shoulder": {"plane": 90, "elev": 45}, "elbow": {"flex": 30}},
        "support": "planted", "surface": "floor", "anchor": "planted",
        "planted": ("l_foot", "r_foot"),
    },
}
# a planted part -> the points that touch its surface, and the point that stays put
PLANTED_POINTS: dict[str, tuple[str, ...]] = {
    "foot": ("heel", "ball"), "knee": ("knee",), "hand": ("knuckles", "wrist"),
}
PLANTED_ANCHOR = {"foot": "ankle", "knee": "knee", "hand": "wrist"}


def planted_points(parts: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(f"{p[:2]}{q}" for p in parts for q in PLANTED_POINTS[p[2:]])


def planted_anchors(parts: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(f"{p[:2]}{PLANTED_ANCHOR[p[2:]]}" for p in parts)
