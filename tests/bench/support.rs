//! What the benchmarks that stage a practice's results share: a repeatable dice and a
//! realistic result for each catalogue item, with the amber and red values a practice sees.

use chrono::{Days, NaiveDate};

use alongside::domain::measures::{ItemDef, ItemKind};

/// A xorshift generator: the same practice every run.
pub struct Dice(pub u64);

impl Dice {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }

    /// True `percent` times in a hundred (tenths allowed: 0.5).
    pub fn chance(&mut self, percent: f64) -> bool {
        (self.below(10_000) as f64) < percent * 100.0
    }

    /// A number in [low, high] with `decimals` places, as the lab writes it.
    pub fn number(&mut self, low: f64, high: f64, decimals: usize) -> String {
        let steps = ((high - low) * 10f64.powi(decimals as i32)).round() as u64;
        let value = low + self.below(steps + 1) as f64 / 10f64.powi(decimals as i32);
        format!("{value:.decimals$}")
    }
}

/// A realistic result for an item, with the amber and red values a practice sees: returned
/// as (value text, option, answers) the way the store keeps it.
pub fn result(dice: &mut Dice, item: &ItemDef, on: NaiveDate) -> (String, Option<String>, String) {
    let text = |t: String| (t, None, String::new());
    match item.id() {
        "hba1c" => text(if dice.chance(3.0) {
            dice.number(87.0, 110.0, 0)
        } else {
            dice.number(38.0, 75.0, 0)
        }),
        "bp-clinic" => text(if dice.chance(1.0) {
            format!("{}/{}", 180 + dice.below(20), 95 + dice.below(20))
        } else {
            format!("{}/{}", 112 + dice.below(50), 62 + dice.below(32))
        }),
        "bp-home" => text(format!("{}/{}", 110 + dice.below(40), 62 + dice.below(28))),
        "weight" => text(dice.number(50.0, 125.0, 1)),
        "height" => text(dice.number(150.0, 192.0, 1)),
        "bmi" => text(dice.number(19.0, 38.0, 1)),
        "fev1-percent" => text(dice.number(35.0, 100.0, 0)),
        "spo2" => text(if dice.chance(2.0) { "92".into() } else { dice.number(93.0, 99.0, 0) }),
        "total-cholesterol" => text(dice.number(3.0, 7.2, 1)),
        "hdl-cholesterol" => text(dice.number(0.8, 2.2, 1)),
        "ldl-cholesterol" => text(dice.number(1.2, 4.8, 1)),
        "egfr" => text(if dice.chance(20.0) {
            ">90".into()
        } else if dice.chance(1.0) {
            dice.number(10.0, 14.0, 0)
        } else {
            dice.number(30.0, 89.0, 0)
        }),
        "creatinine" => text(dice.number(55.0, 260.0, 0)),
        "potassium" => {
            text(if dice.chance(1.0) { dice.number(6.0, 6.8, 1) } else { dice.number(3.5, 5.8, 1) })
        }
        "urine-acr" => text(if dice.chance(0.5) {
            dice.number(251.0, 400.0, 0)
        } else {
            dice.number(0.3, 90.0, 1)
        }),
        "chest-exacerbations" => text(dice.below(4).to_string()),
        "falls" => text(dice.below(3).to_string()),
        "medication-problems" => text("none reported".into()),
        "inhaler-technique" | "asthma-action-plan" => {
            text(if dice.chance(80.0) { "yes" } else { "no" }.into())
        }
        "foot-check" => {
            let option = if dice.chance(0.5) {
                "active-foot-problem"
            } else {
                ["low-risk", "low-risk", "moderate-risk", "high-risk"][dice.below(4) as usize]
            };
            text(option.into())
        }
        "smoking" => text(
            ["never-smoked", "ex-smoker", "ex-smoker", "current-smoker"][dice.below(4) as usize]
                .into(),
        ),
        "retinal-screening" => {
            let day = on - Days::new(30 + dice.below(200));
            (day.format("%Y-%m-%d").to_string(), Some("no-retinopathy".into()), String::new())
        }
        _ => match item.kind() {
            ItemKind::Choice(options) => {
                let index = dice.below(options.len().min(4) as u64) as usize;
                text(options[index].id.clone())
            }
            ItemKind::Questionnaire(q) => {
                let answers: Vec<String> = q
                    .questions
                    .iter()
                    .map(|question| {
                        let n = question.options.len() as u64;
                        let mild =
                            if dice.chance(85.0) { dice.below(2.min(n)) } else { dice.below(n) };
                        mild.to_string()
                    })
                    .collect();
                (String::new(), None, answers.join(","))
            }
            other => panic!("no value for {} ({other:?})", item.id()),
        },
    }
}
