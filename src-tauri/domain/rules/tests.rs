//! The rule table's reading and checking, on small tables written here; the shipped table is
//! tested in `tests/it/rules.rs`.

use super::*;

#[test]
fn decimals_compare_exactly_as_written() {
    let d = |t: &str| Decimal::parse(t).unwrap();
    assert_eq!(d("6.0"), d("6"));
    assert!(d("5.5") < d("5.50001"));
    assert_eq!(d("-1.25").to_string(), "-1.25");
    assert_eq!(d("0.05").to_string(), "0.05");
    for bad in ["", "1e3", "1.", ".5", "5,5", " 5", "five"] {
        assert!(Decimal::parse(bad).is_none(), "{bad:?} is not a plain number");
    }
}
