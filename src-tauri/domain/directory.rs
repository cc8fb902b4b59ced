//! The practice's "more than medicine" directory: local services and community activities that
//! help people look after themselves, which a care and support plan can point to.

use chrono::NaiveDate;

use super::person::collapse_spaces;

/// What kind of help a service gives.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Hash, PartialOrd, Ord)]
pub enum Category {
    PhysicalActivity,
    WeightAndEating,
    SocialAndLoneliness,
    Carers,
    MentalWellbeing,
    MoneyAndBenefits,
    Housing,
    Education,
    PeerSupport,
    StoppingSmoking,
    Other,
}

impl Category {
    pub const ALL: [Category; 11] = [
        Category::PhysicalActivity,
        Category::WeightAndEating,
        Category::SocialAndLoneliness,
        Category::Carers,
        Category::MentalWellbeing,
        Category::MoneyAndBenefits,
        Category::Housing,
        Category::Education,
        Category::PeerSupport,
        Category::StoppingSmoking,
        Category::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Category::PhysicalActivity => "physical_activity",
            Category::WeightAndEating => "weight_and_eating",
            Category::SocialAndLoneliness => "social_and_loneliness",
            Category::Carers => "carers",
            Category::MentalWellbeing => "mental_wellbeing",
            Category::MoneyAndBenefits => "money_and_benefits",
            Category::Housing => "housing",
            Category::Education => "education",
            Category::PeerSupport => "peer_support",
            Category::StoppingSmoking => "stopping_smoking",
            Category::Other => "other",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Category::PhysicalActivity => "Physical activity",
            Category::WeightAndEating => "Weight and eating",
            Category::SocialAndLoneliness => "Social groups and loneliness",
            Category::Carers => "Carers",
            Category::MentalWellbeing => "Mental wellbeing",
            Category::MoneyAndBenefits => "Money and benefits",
            Category::Housing => "Housing",
            Category::Education => "Education courses",
            Category::PeerSupport => "Peer support",
            Category::StoppingSmoking => "Stopping smoking",
            Category::Other => "Other",
        }
    }

    /// Reads a category from its code or its label, in any case.
    pub fn parse(text: &str) -> Option<Category> {
        let text = text.trim();
        Category::ALL
            .into_iter()
            .find(|c| c.code().eq_ignore_ascii_case(text) || c.label().eq_ignore_ascii_case(text))
    }
}

/// How a person gets to a service.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Hash, PartialOrd, Ord)]
pub enum Access {
    SelfReferral,
    PracticeReferral,
    SocialPrescriber,
}

impl Access {
    pub const ALL: [Access; 3] =
        [Access::SelfReferral, Access::PracticeReferral, Access::SocialPrescriber];

    pub fn code(self) -> &'static str {
        match self {
            Access::SelfReferral => "self_referral",
            Access::PracticeReferral => "practice_referral",
            Access::SocialPrescriber => "social_prescriber",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Access::SelfReferral => "Self-referral",
            Access::PracticeReferral => "Referral by the practice",
            Access::SocialPrescriber => "Social prescriber",
        }
    }

    pub fn parse(text: &str) -> Option<Access> {
        let text = text.trim();
        Access::ALL
            .into_iter()
            .find(|a| a.code().eq_ignore_ascii_case(text) || a.label().eq_ignore_ascii_case(text))
    }

    /// Several ways in, as written in a file or a form: separated by `;` (or `,`).
    pub fn parse_list(text: &str) -> Result<Vec<Access>, String> {
        let mut found = Vec::new();
        for part in text.split([';', ',']).map(str::trim).filter(|p| !p.is_empty()) {
            let access = Access::parse(part).ok_or_else(|| {
                format!(
                    "how to get there '{part}' is not one of: {}",
                    Access::ALL.map(Access::label).join(", ")
                )
            })?;
            if !found.contains(&access) {
                found.push(access);
            }
        }
        Ok(found)
    }

    pub fn list_label(list: &[Access]) -> String {
        list.iter().map(|a| a.label()).collect::<Vec<_>>().join("; ")
    }
}

/// The fields of a service as typed in Settings or read from a file, before checking.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ServiceFields {
    pub name: String,
    pub category: String,
    pub offers: String,
    pub for_whom: String,
    pub access: String,
    pub phone: String,
    pub email: String,
    pub website: String,
    pub address: String,
    pub opening_times: String,
    pub cost: String,
    pub accessibility: String,
    pub last_checked: String,
}

/// One service in the directory, checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Service {
    pub name: String,
    pub category: Category,
    pub offers: String,
    pub for_whom: String,
    pub access: Vec<Access>,
    pub phone: String,
    pub email: String,
    pub website: String,
    pub address: String,
    pub opening_times: String,
    pub cost: String,
    pub accessibility: String,
    pub last_checked: Option<NaiveDate>,
}

/// The longest any one field may be: a directory entry is a few lines, not a leaflet.
const LONGEST_FIELD: usize = 2000;

impl Service {
    /// Checks a service's fields; every problem is named by its field, in the form's order.
    pub fn parse(fields: &ServiceFields, today: NaiveDate) -> Result<Service, Vec<String>> {
        let mut problems = Vec::new();
        let clean = |text: &str| collapse_spaces(text);
        let name = clean(&fields.name);
        if name.is_empty() {
            problems.push("the name is missing".to_string());
        }
        let category = match Category::parse(&fields.category) {
            Some(c) => Some(c),
            None if fields.category.trim().is_empty() => {
                problems.push("the category is missing".to_string());
                None
            }
            None => {
                problems.push(format!(
                    "the category '{}' is not one of: {}",
                    fields.category.trim(),
                    Category::ALL.map(Category::label).join(", ")
                ));
                None
            }
        };
        let access = Access::parse_list(&fields.access).unwrap_or_else(|problem| {
            problems.push(problem);
            Vec::new()
        });
        let phone = clean(&fields.phone);
        if !phone.is_empty()
            && (!phone.chars().all(|c| c.is_ascii_digit() || " +()-".contains(c))
                || phone.chars().filter(char::is_ascii_digit).count() < 5)
        {
            problems.push(format!("the phone number '{phone}' is not a phone number"));
        }
        let email = clean(&fields.email);
        if !email.is_empty() && (!email.contains('@') || email.contains(' ')) {
            problems.push(format!("the email '{email}' is not an email address"));
        }
        let address = clean(&fields.address);
        let website = clean(&fields.website);
        if phone.is_empty() && email.is_empty() && address.is_empty() && website.is_empty() {
            problems.push(
                "give a phone number, an email, a website or an address, so people can get in touch"
                    .to_string(),
            );
        }
        let last_checked = match fields.last_checked.trim() {
            "" => None,
            text => match NaiveDate::parse_from_str(text, "%Y-%m-%d") {
                Ok(date) if date > today => {
                    problems.push(format!("last checked {text} is in the future"));
                    None
                }
                Ok(date) => Some(date),
                Err(_) => {
                    problems.push(format!("last checked '{text}' is not a date (YYYY-MM-DD)"));
                    None
                }
            },
        };
        let texts = [
            ("name", &fields.name),
            ("what it offers", &fields.offers),
            ("who it is for", &fields.for_whom),
            ("address", &fields.address),
            ("opening times", &fields.opening_times),
            ("cost", &fields.cost),
            ("accessibility", &fields.accessibility),
        ];
        for (what, text) in texts {
            if text.chars().count() > LONGEST_FIELD {
                problems.push(format!("{what} is longer than {LONGEST_FIELD} characters"));
            }
        }
        match (problems.is_empty(), category) {
            (true, Some(category)) => Ok(Service {
                name,
                category,
                offers: clean(&fields.offers),
                for_whom: clean(&fields.for_whom),
                access,
                phone,
                email,
                website,
                address,
                opening_times: clean(&fields.opening_times),
                cost: clean(&fields.cost),
                accessibility: clean(&fields.accessibility),
                last_checked,
            }),
            _ => Err(problems),
        }
    }

    /// The service's fields as a form or a file shows them.
    pub fn fields(&self) -> ServiceFields {
        ServiceFields {
            name: self.name.clone(),
            category: self.category.label().to_string(),
            offers: self.offers.clone(),
            for_whom: self.for_whom.clone(),
            access: Access::list_label(&self.access),
            phone: self.phone.clone(),
            email: self.email.clone(),
            website: self.website.clone(),
            address: self.address.clone(),
            opening_times: self.opening_times.clone(),
            cost: self.cost.clone(),
            accessibility: self.accessibility.clone(),
            last_checked: self.last_checked.map(|d| d.to_string()).unwrap_or_default(),
        }
    }

    /// How to get in touch, in one line for a plan: phone, email, website, address, times.
    pub fn contact_line(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        if !self.phone.is_empty() {
            parts.push(format!("phone {}", self.phone));
        }
        if !self.email.is_empty() {
            parts.push(format!("email {}", self.email));
        }
        if !self.website.is_empty() {
            parts.push(self.website.clone());
        }
        if !self.address.is_empty() {
            parts.push(self.address.clone());
        }
        if !self.opening_times.is_empty() {
            parts.push(self.opening_times.clone());
        }
        if !self.access.is_empty() {
            parts.push(Access::list_label(&self.access));
        }
        parts.join(" · ")
    }

    /// Whether every word typed appears in the service's name, category, offer or audience.
    pub fn matches(&self, query: &str) -> bool {
        let haystack = format!(
            "{} {} {} {} {}",
            self.name,
            self.category.label(),
            self.offers,
            self.for_whom,
            self.address
        )
        .to_lowercase();
        query.split_whitespace().all(|word| haystack.contains(&word.to_lowercase()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
    }

    fn walking_group() -> ServiceFields {
        ServiceFields {
            name: "  Ashby Marsh  Health Walks ".into(),
            category: "physical activity".into(),
            offers: "Free guided walks on flat paths.".into(),
            access: "Self-referral; social_prescriber".into(),
            phone: "0113 496 0123".into(),
            last_checked: "2026-10-01".into(),
            ..ServiceFields::default()
        }
    }

    #[test]
    fn a_service_is_read_from_labels_or_codes_and_tidied() {
        let service = Service::parse(&walking_group(), today()).unwrap();
        assert_eq!(service.name, "Ashby Marsh Health Walks");
        assert_eq!(service.category, Category::PhysicalActivity);
        assert_eq!(service.access, [Access::SelfReferral, Access::SocialPrescriber]);
        assert_eq!(service.last_checked, NaiveDate::from_ymd_opt(2026, 10, 1));
        assert_eq!(
            service.contact_line(),
            "phone 0113 496 0123 · Self-referral; Social prescriber"
        );
        let again = Service::parse(&service.fields(), today()).unwrap();
        assert_eq!(again, service, "a service written out reads back the same");
    }

    #[test]
    fn every_problem_is_named_by_its_field() {
        let fields = ServiceFields {
            name: " ".into(),
            category: "gym".into(),
            access: "walk in".into(),
            phone: "ring us".into(),
            last_checked: "2026-13-01".into(),
            ..ServiceFields::default()
        };
        let problems = Service::parse(&fields, today()).unwrap_err();
        assert_eq!(problems.len(), 5, "{problems:?}");
        assert!(problems[0].contains("name is missing"));
        assert!(problems[1].contains("category 'gym'"));
        assert!(problems[2].contains("'walk in'"));
        assert!(problems[3].contains("'ring us'"));
        assert!(problems[4].contains("'2026-13-01'"));
        let unreachable = ServiceFields {
            name: "Lunch club".into(),
            category: "Other".into(),
            ..ServiceFields::default()
        };
        let problems = Service::parse(&unreachable, today()).unwrap_err();
        assert!(problems[0].contains("so people can get in touch"), "{problems:?}");
        let future = ServiceFields { last_checked: "2027-01-01".into(), ..walking_group() };
        assert!(Service::parse(&future, today()).unwrap_err()[0].contains("in the future"));
    }

    #[test]
    fn searching_needs_every_word() {
        let service = Service::parse(&walking_group(), today()).unwrap();
        assert!(service.matches("walks flat"));
        assert!(service.matches("PHYSICAL"));
        assert!(!service.matches("walks swimming"));
    }
}
