//! The JSON the command line prints: a stable, versioned shape that scripts rely on. Fields are
//! only ever added.

use serde::Serialize;

use crate::domain::person::CommunicationNeed;
use crate::domain::register::PatientDetails;

/// One person in `alongside patients list`.
#[derive(Serialize)]
pub struct PatientJson {
    pub nhs_number: String,
    pub family_name: String,
    pub given_name: String,
    pub date_of_birth: String,
    pub sex: &'static str,
    pub postcode: Option<String>,
    pub conditions: Vec<String>,
    pub communication_needs: Vec<String>,
    pub status: &'static str,
    pub recall_month: Option<u32>,
}

impl From<&PatientDetails> for PatientJson {
    fn from(p: &PatientDetails) -> PatientJson {
        PatientJson {
            nhs_number: p.nhs_number.as_str().to_string(),
            family_name: p.name.family().to_string(),
            given_name: p.name.given().to_string(),
            date_of_birth: p.date_of_birth.format("%Y-%m-%d").to_string(),
            sex: p.sex.code(),
            postcode: p.address.postcode.as_ref().map(|c| c.as_str().to_string()),
            conditions: p.conditions.iter().map(|d| d.code.as_str().to_string()).collect(),
            communication_needs: p
                .communication_needs
                .iter()
                .map(CommunicationNeed::token)
                .collect(),
            status: p.status.code(),
            recall_month: p.recall_month.map(|m| m.number()),
        }
    }
}
