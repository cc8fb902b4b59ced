//! The invitation letter: names the practice's review, lists in plain English what happens at
//! the one appointment for all the person's conditions and how to prepare, says how to book
//! and what comes next. The wording is data (`assets/texts/invitation.json`).

use chrono::NaiveDate;
use serde::Deserialize;

use super::catalogue::{Catalogue, ConditionKind};
use super::letters::{fill, placeholders, Block, Letter, PrintSize, Recipient};
use super::person::{format_date, CommunicationNeed};
use super::practice::PracticeSettings;
use super::register::PatientDetails;

/// The wording of invitation letters, checked when loaded.
#[derive(Clone, Debug)]
pub struct InvitationTexts {
    texts: TextsFile,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TextsFile {
    #[allow(dead_code)]
    about: String,
    subject: [String; 3],
    greeting: String,
    reminder: String,
    introduction: String,
    appointment_heading: String,
    appointment: String,
    preparation_heading: String,
    booking_heading: String,
    next_heading: String,
    next: String,
    other_formats: String,
    closing: String,
    signature: String,
}

const PLACEHOLDERS: [&str; 7] =
    ["name", "review", "conditions", "practice", "phone", "booking", "first_date"];

impl InvitationTexts {
    /// Reads the texts; a broken file or an unknown `{placeholder}` is refused with its name.
    pub fn from_json(text: &str) -> Result<InvitationTexts, String> {
        let texts: TextsFile =
            serde_json::from_str(text).map_err(|e| format!("invitation texts: not valid: {e}"))?;
        let all = [
            &texts.subject[0],
            &texts.subject[1],
            &texts.subject[2],
            &texts.greeting,
            &texts.reminder,
            &texts.introduction,
            &texts.appointment_heading,
            &texts.appointment,
            &texts.preparation_heading,
            &texts.booking_heading,
            &texts.next_heading,
            &texts.next,
            &texts.other_formats,
            &texts.closing,
            &texts.signature,
        ];
        for template in all {
            if template.trim().is_empty() {
                return Err("invitation texts: a text is empty".to_string());
            }
            if let Some(unknown) =
                placeholders(template).into_iter().find(|p| !PLACEHOLDERS.contains(p))
            {
                return Err(format!(
                    "invitation texts: {{{unknown}}} is not a placeholder (use {})",
                    PLACEHOLDERS.map(|p| format!("{{{p}}}")).join(", ")
                ));
            }
        }
        Ok(InvitationTexts { texts })
    }
}

/// The `number`th invitation (1 to 3) for one person. Refused, with the reason, when no letter
/// can be posted to them.
pub fn invitation_letter(
    person: &PatientDetails,
    number: u8,
    first_sent: Option<NaiveDate>,
    catalogue: &Catalogue,
    texts: &InvitationTexts,
    settings: &PracticeSettings,
    today: NaiveDate,
) -> Result<Letter, String> {
    if !person.status.may_be_contacted() {
        return Err(format!(
            "registration status is '{}': nothing is ever sent",
            person.status.code()
        ));
    }
    if person.communication_needs.contains(&CommunicationNeed::Braille) {
        return Err(
            "needs braille, which Alongside cannot print: send an accessible invitation by hand"
                .to_string(),
        );
    }
    let recipient = Recipient::of(person)?;
    let t = &texts.texts;
    let condition_ids: Vec<&str> =
        person.conditions.iter().map(|d| d.condition_id.as_str()).collect();
    let conditions = spoken_list(
        &catalogue
            .conditions()
            .iter()
            .filter(|c| {
                c.kind() == ConditionKind::LongTermCondition && condition_ids.contains(&c.id())
            })
            .map(|c| lower_first(c.plain_name()))
            .collect::<Vec<_>>(),
    );
    let first_date = first_sent.map(format_date).unwrap_or_default();
    let name = recipient.name.clone();
    let letterhead = &settings.letterhead;
    let values = [
        ("name", name.as_str()),
        ("review", settings.review_name.as_str()),
        ("conditions", conditions.as_str()),
        ("practice", letterhead.practice_name.as_str()),
        ("phone", letterhead.phone.as_str()),
        ("booking", settings.booking_instructions.as_str()),
        ("first_date", first_date.as_str()),
    ];
    let text = |template: &str| fill(template, &values);
    let checks = catalogue.appointment_checks(condition_ids.iter().copied());
    let preparation: Vec<String> =
        checks.iter().filter_map(|c| c.preparation().map(str::to_string)).collect();

    let mut blocks = vec![Block::Paragraph(text(&t.greeting))];
    if number > 1 && first_sent.is_some() {
        blocks.push(Block::Paragraph(text(&t.reminder)));
    }
    blocks.push(Block::Paragraph(text(&t.introduction)));
    blocks.push(Block::Heading(text(&t.appointment_heading)));
    blocks.push(Block::Paragraph(text(&t.appointment)));
    blocks.push(Block::Bullets(checks.iter().map(|c| c.text().to_string()).collect()));
    if !preparation.is_empty() {
        blocks.push(Block::Heading(text(&t.preparation_heading)));
        blocks.push(Block::Bullets(preparation));
    }
    blocks.push(Block::Heading(text(&t.booking_heading)));
    let mut booking = settings.booking_instructions.clone();
    if !letterhead.phone.trim().is_empty() {
        booking.push_str(&format!(" Our phone number is {}.", letterhead.phone.trim()));
    }
    blocks.push(Block::Paragraph(booking));
    blocks.push(Block::Heading(text(&t.next_heading)));
    blocks.push(Block::Paragraph(text(&t.next)));
    blocks.push(Block::Paragraph(text(&t.other_formats)));
    blocks.push(Block::Closing(vec![text(&t.closing), text(&t.signature)]));

    let subject_index = usize::from(number.clamp(1, 3)) - 1;
    let subject = text(&t.subject[subject_index]);
    Ok(Letter {
        letterhead: letterhead.clone(),
        date: today,
        continuation: format!("{}, NHS number {}", recipient.name, person.nhs_number),
        reference: vec![format!("NHS number: {}", person.nhs_number)],
        recipient,
        print: PrintSize::for_needs(&person.communication_needs),
        subject,
        blocks,
    })
}

/// "a, b and c".
fn spoken_list(items: &[String]) -> String {
    match items {
        [] => "a long-term condition".to_string(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// "High blood pressure" → "high blood pressure", leaving acronyms such as "COPD" alone.
fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    match (chars.next(), chars.next()) {
        (Some(first), Some(second)) if first.is_uppercase() && second.is_lowercase() => {
            format!("{}{}", first.to_lowercase(), &text[first.len_utf8()..])
        }
        _ => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_and_names_read_naturally() {
        assert_eq!(spoken_list(&["asthma".into()]), "asthma");
        assert_eq!(spoken_list(&["a".into(), "b".into(), "c".into()]), "a, b and c");
        assert_eq!(lower_first("High blood pressure"), "high blood pressure");
        assert_eq!(lower_first("COPD"), "COPD");
    }

    #[test]
    fn texts_with_unknown_placeholders_are_refused() {
        let good = r#"{"about": "", "subject": ["Your {review}", "Reminder", "Last reminder"],
            "greeting": "Dear {name},", "reminder": "We wrote on {first_date}.",
            "introduction": "You live with {conditions}.", "appointment_heading": "Appointment",
            "appointment": "We will check:", "preparation_heading": "Before", "booking_heading": "Book",
            "next_heading": "Next", "next": "Then we talk.", "other_formats": "Ask us.",
            "closing": "Yours,", "signature": "{practice}"}"#;
        assert!(InvitationTexts::from_json(good).is_ok());
        let bad = good.replace("{review}", "{reveiw}");
        assert!(InvitationTexts::from_json(&bad)
            .unwrap_err()
            .contains("{reveiw} is not a placeholder"));
    }
}
