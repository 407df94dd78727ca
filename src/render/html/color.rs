//! The colour of a stance or an effect, on one diverging scale shared by
//! the marks, the score chips and the legend.

/// The diverging scale, ColorBrewer RdBu with a mid grey at 0 (so neutral
/// marks stay visible on white): hostile red at -10, warm blue at +10.
const RAMP: [(f64, [u8; 3]); 9] = [
    (-10.0, [0x67, 0x00, 0x1f]),
    (-7.5, [0xb2, 0x18, 0x2b]),
    (-5.0, [0xd6, 0x60, 0x4d]),
    (-2.5, [0xf4, 0xa5, 0x82]),
    (0.0, [0xbd, 0xbd, 0xbd]),
    (2.5, [0x92, 0xc5, 0xde]),
    (5.0, [0x43, 0x93, 0xc3]),
    (7.5, [0x21, 0x66, 0xac]),
    (10.0, [0x05, 0x30, 0x61]),
];

/// The colour of a score, as `#rrggbb`.
pub(super) fn color(score: f64) -> String {
    let s = if score.is_finite() {
        score.clamp(-10.0, 10.0)
    } else {
        0.0
    };
    let i = RAMP
        .windows(2)
        .position(|w| s <= w[1].0)
        .unwrap_or(RAMP.len() - 2);
    let ((a, ca), (b, cb)) = (RAMP[i], RAMP[i + 1]);
    let t = (s - a) / (b - a);
    let mix =
        |k: usize| (f64::from(ca[k]) + (f64::from(cb[k]) - f64::from(ca[k])) * t).round() as u8;
    format!("#{:02x}{:02x}{:02x}", mix(0), mix(1), mix(2))
}

/// Whether text on this score's colour should be white.
pub(super) fn dark(score: f64) -> bool {
    score.abs() >= 4.5
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_run_from_red_through_grey_to_blue() {
        assert_eq!(color(-10.0), "#67001f");
        assert_eq!(color(0.0), "#bdbdbd");
        assert_eq!(color(10.0), "#053061");
        assert_eq!(color(99.0), "#053061");
        assert_eq!(color(f64::NAN), "#bdbdbd");
        assert_eq!(color(-7.5), "#b2182b");
    }
}
