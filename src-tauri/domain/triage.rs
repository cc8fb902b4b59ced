//! The clinician's triage decisions in words: what was done about a red finding and who the
//! conversation is with.

/// What a clinician did about a finding.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum AckAction {
    ContactedToday,
    Referred,
    RepeatTest,
    /// No action, with the reason written down.
    NoAction,
}

impl AckAction {
    pub const ALL: [AckAction; 4] = [
        AckAction::ContactedToday,
        AckAction::Referred,
        AckAction::RepeatTest,
        AckAction::NoAction,
    ];

    pub fn code(self) -> &'static str {
        match self {
            AckAction::ContactedToday => "contacted_today",
            AckAction::Referred => "referred",
            AckAction::RepeatTest => "repeat_test",
            AckAction::NoAction => "no_action",
        }
    }

    pub fn parse(code: &str) -> Option<AckAction> {
        AckAction::ALL.into_iter().find(|a| a.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            AckAction::ContactedToday => "Contacted the person today",
            AckAction::Referred => "Referred",
            AckAction::RepeatTest => "Repeat test arranged",
            AckAction::NoAction => "No action",
        }
    }
}

/// Who holds the care and support planning conversation.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum TriageRole {
    Nurse,
    Gp,
    Pharmacist,
    Other,
}

impl TriageRole {
    pub const ALL: [TriageRole; 4] =
        [TriageRole::Nurse, TriageRole::Gp, TriageRole::Pharmacist, TriageRole::Other];

    pub fn code(self) -> &'static str {
        match self {
            TriageRole::Nurse => "nurse",
            TriageRole::Gp => "gp",
            TriageRole::Pharmacist => "pharmacist",
            TriageRole::Other => "other",
        }
    }

    pub fn parse(code: &str) -> Option<TriageRole> {
        TriageRole::ALL.into_iter().find(|r| r.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            TriageRole::Nurse => "Nurse",
            TriageRole::Gp => "GP",
            TriageRole::Pharmacist => "Pharmacist",
            TriageRole::Other => "Other",
        }
    }
}
