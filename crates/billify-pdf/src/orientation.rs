//! Which way text runs: quarter turns of a text matrix, shared by the content interpreter
//! (which records them) and the layout (which turns such text upright).

/// Quarter turns counter-clockwise of a text matrix `[a b c d]` (0 upright), or `None` when
/// the text is turned by another angle or mirrored.
pub(crate) fn quarter_turns(a: f32, b: f32, c: f32, d: f32) -> Option<u8> {
    // `p` dominates `q`: the matrix is within a few degrees of that axis.
    let axis = |p: f32, q: f32| q.abs() <= 0.05 * p.abs();
    if axis(a, b) && axis(d, c) && a > 0.0 && d > 0.0 {
        Some(0)
    } else if axis(b, a) && axis(c, d) && b > 0.0 && c < 0.0 {
        Some(1)
    } else if axis(a, b) && axis(d, c) && a < 0.0 && d < 0.0 {
        Some(2)
    } else if axis(b, a) && axis(c, d) && b < 0.0 && c > 0.0 {
        Some(3)
    } else {
        None
    }
}
