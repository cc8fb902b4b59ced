//! Months of the year as the recall list counts them (`2027-03`), and the month a person's
//! yearly review falls due in.

use std::fmt;

use chrono::{Datelike, NaiveDate};

use super::person::RecallMonth;

/// A calendar month: the unit of the recall list.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub struct YearMonth {
    year: i32,
    month: u32,
}

impl YearMonth {
    pub fn new(year: i32, month: u32) -> Option<YearMonth> {
        ((1..=12).contains(&month) && (1900..=2200).contains(&year))
            .then_some(YearMonth { year, month })
    }

    /// Reads `YYYY-MM`.
    pub fn parse(text: &str) -> Result<YearMonth, String> {
        let text = text.trim();
        let bad = || format!("'{text}' is not a month written as YYYY-MM, such as 2027-03");
        let (year, month) = text.split_once('-').ok_or_else(bad)?;
        if year.len() != 4 || month.len() != 2 {
            return Err(bad());
        }
        let year: i32 = year.parse().map_err(|_| bad())?;
        let month: u32 = month.parse().map_err(|_| bad())?;
        YearMonth::new(year, month).ok_or_else(bad)
    }

    pub fn of(date: NaiveDate) -> YearMonth {
        YearMonth { year: date.year(), month: date.month() }
    }

    pub fn year(self) -> i32 {
        self.year
    }

    pub fn month(self) -> u32 {
        self.month
    }

    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).expect("a valid month")
    }

    /// "March 2027".
    pub fn label(self) -> String {
        self.first_day().format("%B %Y").to_string()
    }
}

impl fmt::Display for YearMonth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

/// The month of the year a person's review falls due: the month the practice chose for them,
/// or else their birth month.
pub fn review_month(date_of_birth: NaiveDate, chosen: Option<RecallMonth>) -> u32 {
    chosen.map_or(date_of_birth.month(), RecallMonth::number)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_are_read_and_written_as_yyyy_mm() {
        let march = YearMonth::parse("2027-03").unwrap();
        assert_eq!((march.year(), march.month()), (2027, 3));
        assert_eq!(march.to_string(), "2027-03");
        assert_eq!(march.label(), "March 2027");
        for bad in ["2027-3", "2027-13", "27-03", "March", "2027/03", "", "2027-00"] {
            assert!(YearMonth::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn the_review_month_is_the_birth_month_unless_chosen() {
        let born = NaiveDate::from_ymd_opt(1950, 7, 19).unwrap();
        assert_eq!(review_month(born, None), 7);
        assert_eq!(review_month(born, RecallMonth::new(2)), 2);
    }
}
