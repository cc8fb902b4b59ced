//! The steering group's report laid out on one landscape A4 page: the title, a row of headline
//! figures, the figures by condition group, and two small bar charts drawn as rectangles.
//!
//! Everything the page says comes from the `SteeringPage` model; this only places it. The page
//! has a fixed shape (the model's table and headlines are always the same size), so it always
//! fits on one sheet; a long practice name is set smaller rather than wrapped.

use chrono::NaiveDateTime;
use printpdf::{
    Color, LineDashPattern, Mm, Op, PaintMode, PdfDocument, PdfPage, Point, Pt, Rect, Rgb,
    WindingOrder,
};

use super::layout::{compact, grey, ink, show_text, teal, wrap, Typeface};
use crate::domain::steering::{BarChart, Headline, SteeringPage, NOTHING};

/// A4 turned on its side, in points.
const WIDTH: f32 = 841.89;
const HEIGHT: f32 = 595.276;
const MM: f32 = 2.834_646;

const LEFT: f32 = 10.0 * MM;
const RIGHT: f32 = WIDTH - 10.0 * MM;
const TOP: f32 = 11.0 * MM;
/// Nothing is drawn below this line (10 mm from the bottom edge).
const BOTTOM: f32 = HEIGHT - 10.0 * MM;

/// Type sizes: the smallest type on the page is 8 point.
const TITLE: f32 = 17.0;
const RANGE: f32 = 11.0;
const LABEL: f32 = 9.0;
const NUMBER: f32 = 26.0;
const BODY: f32 = 8.5;
const SMALL: f32 = 8.0;

/// The headline cards.
const HEADLINES_TOP: f32 = TOP + 50.0;
const HEADLINES_HEIGHT: f32 = 98.0;

/// The table of figures by group, on the left below the headlines.
const TABLE_TOP: f32 = HEADLINES_TOP + HEADLINES_HEIGHT + 12.0;
/// How far a row that is part of the one above (a reason, an outcome) is set in.
const PART_INDENT: f32 = 10.0;
/// Between a value and what it is out of.
const OUT_OF_GAP: f32 = 3.5;
const ROW: f32 = 10.2;
const SECTION_GAP: f32 = 14.0;

/// The charts and notes, on the right.
const COLUMN_GAP: f32 = 22.0;
const CHART_GAP: f32 = 14.0;
/// The height of the tallest bar.
const MIN_BARS: f32 = 36.0;
const MAX_BARS: f32 = 90.0;

/// The steering group's report as the bytes of a one-page PDF.
pub fn steering_pdf(page: &SteeringPage, created: NaiveDateTime) -> Vec<u8> {
    let mut doc = PdfDocument::new(&page.title);
    let faces = super::faces();
    let regular = Typeface {
        font: &faces.regular,
        id: doc.add_font(&faces.regular),
        units_per_em: faces.regular_upem,
    };
    let bold = Typeface {
        font: &faces.bold,
        id: doc.add_font(&faces.bold),
        units_per_em: faces.bold_upem,
    };
    let drawn = lay_out(page, &regular, &bold);
    debug_assert!(
        drawn.lowest <= BOTTOM && drawn.rightmost <= RIGHT && drawn.headlines < TABLE_TOP,
        "the report runs off its page or into itself: down to {} of {BOTTOM}, across to {} of \
         {RIGHT}, headlines to {} of {TABLE_TOP}",
        drawn.lowest,
        drawn.rightmost,
        drawn.headlines
    );
    if let Ok(created) = printpdf::DateTime::from_unix_timestamp(created.and_utc().timestamp()) {
        doc.metadata.info.creation_date = created;
        doc.metadata.info.modification_date = created;
        doc.metadata.info.metadata_date = created;
    }
    doc.metadata.info.creator = "Alongside".to_string();
    doc.metadata.info.producer = "Alongside".to_string();
    let sheet = PdfPage::new(Mm(297.0), Mm(210.0), compact(drawn.ops));
    super::save(&doc, vec![sheet])
}

/// What was drawn, and how far down the page it went.
struct Drawn {
    ops: Vec<Op>,
    /// The lowest point anything reaches, in points from the top.
    lowest: f32,
    /// The furthest right anything reaches.
    rightmost: f32,
    /// How far down the headlines' words reach: above the table.
    headlines: f32,
}

fn lay_out(page: &SteeringPage, regular: &Typeface<'_>, bold: &Typeface<'_>) -> Drawn {
    let mut c = Canvas { ops: Vec::new(), regular, bold, lowest: 0.0, rightmost: 0.0 };
    title(&mut c, page);
    let width = RIGHT - LEFT;
    let gap = 14.0;
    let count = page.headlines.len().max(1) as f32;
    let card = (width - gap * (count - 1.0)) / count;
    for (i, headline) in page.headlines.iter().enumerate() {
        headline_card(&mut c, headline, LEFT + i as f32 * (card + gap), card);
    }
    let headlines = c.lowest;
    let table_right = table(&mut c, page);
    let table_bottom = c.lowest;
    // Beside the table: the two charts and the notes, their bars as tall as the room left
    // after their words allows, so the column ends with the table (or, when a narrow column
    // wraps more words, before the bottom margin).
    let x = table_right + COLUMN_GAP;
    let width = RIGHT - x;
    let words = {
        let mut scratch = c.scratch();
        let mut y = chart(&mut scratch, &page.pack_days, x, TABLE_TOP, width, 0.0);
        y = chart(&mut scratch, &page.trend, x, y + CHART_GAP, width, 0.0);
        notes(&mut scratch, &page.notes, x, y + CHART_GAP, width) - TABLE_TOP
    };
    let room = |bottom: f32| (bottom - TABLE_TOP - words) / 2.0;
    let bars = if room(table_bottom) >= MIN_BARS { room(table_bottom) } else { room(BOTTOM) };
    let bars = bars.clamp(MIN_BARS, MAX_BARS);
    let mut y = chart(&mut c, &page.pack_days, x, TABLE_TOP, width, bars);
    y = chart(&mut c, &page.trend, x, y + CHART_GAP, width, bars);
    notes(&mut c, &page.notes, x, y + CHART_GAP, width);
    Drawn { ops: c.ops, lowest: c.lowest, rightmost: c.rightmost, headlines }
}

fn title(c: &mut Canvas<'_, '_>, page: &SteeringPage) {
    // A long practice name is set smaller, never wrapped onto the headlines.
    let size = (TITLE * (RIGHT - LEFT) / c.bold.width(&page.title, TITLE)).clamp(8.0, TITLE);
    c.text(c.bold, size, LEFT, TOP + TITLE, ink(), &page.title);
    c.text(c.regular, RANGE, LEFT, TOP + TITLE + 17.0, ink(), &page.range);
    c.text_right(c.regular, LABEL, RIGHT, TOP + TITLE + 17.0, grey_text(), &page.made_on);
    c.rule(LEFT, RIGHT, TOP + TITLE + 27.0, light_grey(), 0.6);
}

fn headline_card(c: &mut Canvas<'_, '_>, headline: &Headline, x: f32, width: f32) {
    let top = HEADLINES_TOP;
    c.rect(x, top, width, 2.2, teal());
    let mut y = top + 6.0;
    for line in wrap(c.bold, LABEL, &headline.label, width) {
        y += LABEL * 1.2;
        c.text(c.bold, LABEL, x, y, ink(), &line);
    }
    // The numbers sit on one line across the row, whatever their labels' lengths (up to two
    // lines).
    let number_baseline = top + 6.0 + 2.0 * LABEL * 1.2 + NUMBER + 2.0;
    let colour = if headline.number == NOTHING { grey_text() } else { teal() };
    c.text(c.bold, NUMBER, x, number_baseline, colour, &headline.number);
    let mut y = number_baseline + 4.0;
    for line in wrap(c.regular, SMALL, &headline.detail, width) {
        y += SMALL * 1.25;
        c.text(c.regular, SMALL, x, y, grey_text(), &line);
    }
}

/// The table's columns, measured from what they hold: a group's column is as wide as its
/// widest value and what it is out of, so a big practice's four-figure counts still fit, and
/// the charts take what is left.
struct Columns {
    label: f32,
    group: f32,
    /// Within a group's column, where the values end (they are set flush right).
    value_end: f32,
}

impl Columns {
    fn of(regular: &Typeface<'_>, page: &SteeringPage) -> Columns {
        let rows = || page.table.sections.iter().flat_map(|s| &s.rows);
        let cells = || rows().flat_map(|r| &r.cells);
        let widest = |widths: &mut dyn Iterator<Item = f32>| widths.fold(0.0_f32, f32::max);
        let label = widest(
            &mut rows()
                .map(|r| regular.width(&r.label, BODY) + if r.part { PART_INDENT } else { 0.0 }),
        );
        let value = widest(&mut cells().map(|cell| regular.width(&cell.value, BODY)));
        let out_of = widest(
            &mut cells().filter_map(|cell| cell.out_of.as_ref()).map(|o| regular.width(o, SMALL)),
        );
        Columns {
            label: (label + 12.0).max(120.0),
            group: (value + OUT_OF_GAP + out_of + 8.0).max(74.0),
            value_end: value,
        }
    }
}

/// Draws the table of figures by group and returns its right edge.
fn table(c: &mut Canvas<'_, '_>, page: &SteeringPage) -> f32 {
    let table = &page.table;
    let columns = Columns::of(c.regular, page);
    let right = LEFT + columns.label + columns.group * table.columns.len() as f32;
    let column_x = |i: usize| LEFT + columns.label + columns.group * i as f32;
    let mut y = TABLE_TOP;
    let heading_lines: Vec<Vec<String>> =
        table.columns.iter().map(|name| wrap(c.bold, BODY, name, columns.group - 6.0)).collect();
    let lines = heading_lines.iter().map(Vec::len).max().unwrap_or(1);
    for (i, name) in heading_lines.iter().enumerate() {
        // Headings sit on the bottom line, so one-line names line up with two-line ones.
        let first = lines - name.len();
        for (n, line) in name.iter().enumerate() {
            let baseline = y + BODY + (first + n) as f32 * BODY * 1.2;
            c.text(c.bold, BODY, column_x(i), baseline, ink(), line);
        }
    }
    y += lines as f32 * BODY * 1.2 + 4.0;
    c.rule(LEFT, right, y, teal(), 0.8);
    for section in &table.sections {
        y += SECTION_GAP;
        c.text(c.bold, BODY, LEFT, y - 3.0, teal(), &section.heading);
        for row in &section.rows {
            let baseline = y + ROW - 2.0;
            let indent = if row.part { PART_INDENT } else { 0.0 };
            let colour = if row.part { grey_text() } else { ink() };
            c.text(c.regular, BODY, LEFT + indent, baseline, colour, &row.label);
            for (i, cell) in row.cells.iter().enumerate() {
                let x = column_x(i) + columns.value_end;
                let value_colour = if cell.value == NOTHING { grey_text() } else { ink() };
                c.text_right(c.regular, BODY, x, baseline, value_colour, &cell.value);
                if let Some(out_of) = &cell.out_of {
                    c.text(c.regular, SMALL, x + OUT_OF_GAP, baseline, grey_text(), out_of);
                }
            }
            y += ROW;
        }
        c.rule(LEFT, right, y + 2.0, light_grey(), 0.4);
    }
    right
}

/// Draws a bar chart with its title and caption from `top`, its tallest bar `bars` high;
/// returns where it ends.
fn chart(c: &mut Canvas<'_, '_>, chart: &BarChart, x: f32, top: f32, width: f32, bars: f32) -> f32 {
    let mut y = top;
    for line in wrap(c.bold, LABEL, &chart.title, width) {
        y += LABEL * 1.2;
        c.text(c.bold, LABEL, x, y, ink(), &line);
    }
    for line in wrap(c.regular, SMALL, &chart.caption, width) {
        y += SMALL * 1.3;
        c.text(c.regular, SMALL, x, y, grey_text(), &line);
    }
    // Room above the bars for their numbers, and above those for the marker's words.
    let marker_line = y + 6.0 + SMALL * 1.3;
    let area_top = if chart.marker.is_some() { marker_line + SMALL * 1.3 } else { marker_line };
    let axis = area_top + bars;
    c.rule(x, x + width, axis, grey(), 0.6);
    let count = chart.bars.len().max(1) as f32;
    let slot = width / count;
    let bar_width = (slot * 0.62).min(26.0);
    let label_lines = chart.bars.iter().map(|b| b.label.lines().count()).max().unwrap_or(0);
    let bottom = axis + 3.0 + label_lines as f32 * SMALL * 1.2;
    let span = (x, x + width);
    for (i, bar) in chart.bars.iter().enumerate() {
        let centre = x + slot * (i as f32 + 0.5);
        for (n, line) in bar.label.lines().enumerate() {
            let baseline = axis + 2.0 + (n + 1) as f32 * SMALL * 1.2;
            c.text_centre(c.regular, SMALL, centre, span, baseline, ink(), line);
        }
    }
    if let Some(empty) = &chart.empty {
        c.text_centre(
            c.regular,
            LABEL,
            x + width / 2.0,
            span,
            area_top + bars / 2.0,
            grey_text(),
            empty,
        );
        return bottom;
    }
    let most = chart.bars.iter().map(|b| b.value).max().unwrap_or(0).max(1) as f32;
    for (i, bar) in chart.bars.iter().enumerate() {
        let centre = x + slot * (i as f32 + 0.5);
        let height = bars * bar.value as f32 / most;
        let colour = if bar.strong { teal() } else { pale_teal() };
        if bar.value > 0 {
            c.rect(centre - bar_width / 2.0, axis - height, bar_width, height, colour);
        }
        if let Some(shown) = &bar.shown {
            c.text_centre(c.regular, SMALL, centre, span, axis - height - 2.5, ink(), shown);
        }
    }
    if let Some(marker) = &chart.marker {
        let at = x + slot * marker.at as f32;
        c.dashed(at, marker_line - SMALL, axis, ink());
        // Its words to the right of the line, or to the left when there is no room.
        let words = c.regular.width(&marker.label, SMALL);
        let left = if at + 3.0 + words <= x + width { at + 3.0 } else { at - 3.0 - words };
        c.text(c.regular, SMALL, left, marker_line, ink(), &marker.label);
    }
    bottom
}

/// Writes the notes from `top`; returns where their last line's descenders end.
fn notes(c: &mut Canvas<'_, '_>, notes: &[String], x: f32, top: f32, width: f32) -> f32 {
    let mut y = top;
    for (i, note) in notes.iter().enumerate() {
        if i > 0 {
            y += 3.0;
        }
        for line in wrap(c.regular, SMALL, note, width) {
            y += SMALL * 1.25;
            c.text(c.regular, SMALL, x, y, grey_text(), &line);
        }
    }
    y + SMALL * 0.25
}

/// Draws in points measured from the top-left of the page, and keeps the lowest point reached.
struct Canvas<'a, 'f> {
    ops: Vec<Op>,
    regular: &'a Typeface<'f>,
    bold: &'a Typeface<'f>,
    lowest: f32,
    rightmost: f32,
}

impl<'a, 'f> Canvas<'a, 'f> {
    /// A canvas with the same fonts whose drawing is only measured.
    fn scratch(&self) -> Canvas<'a, 'f> {
        Canvas {
            ops: Vec::new(),
            regular: self.regular,
            bold: self.bold,
            lowest: 0.0,
            rightmost: 0.0,
        }
    }

    fn reach(&mut self, from_top: f32) {
        self.lowest = self.lowest.max(from_top);
    }

    fn reach_right(&mut self, x: f32) {
        self.rightmost = self.rightmost.max(x);
    }

    fn text(
        &mut self,
        face: &Typeface<'_>,
        size: f32,
        x: f32,
        baseline: f32,
        colour: Color,
        text: &str,
    ) {
        // Descenders reach about a quarter of the size below the baseline.
        self.reach(baseline + size * 0.25);
        self.reach_right(x + face.width(text, size));
        show_text(&mut self.ops, face, size, at(x, baseline), colour, text);
    }

    fn text_right(
        &mut self,
        face: &Typeface<'_>,
        size: f32,
        right: f32,
        baseline: f32,
        colour: Color,
        text: &str,
    ) {
        let width = face.width(text, size);
        self.text(face, size, right - width, baseline, colour, text);
    }

    /// Text centred on `centre`, moved along to stay between `left` and `right` at the
    /// chart's edges.
    #[allow(clippy::too_many_arguments)]
    fn text_centre(
        &mut self,
        face: &Typeface<'_>,
        size: f32,
        centre: f32,
        (left, right): (f32, f32),
        baseline: f32,
        colour: Color,
        text: &str,
    ) {
        let width = face.width(text, size);
        let x = (centre - width / 2.0).min(right - width).max(left);
        self.text(face, size, x, baseline, colour, text);
    }

    /// A filled rectangle whose top-left corner is `top` points from the top of the page.
    fn rect(&mut self, x: f32, top: f32, width: f32, height: f32, colour: Color) {
        self.reach(top + height);
        self.reach_right(x + width);
        self.ops.push(Op::SetFillColor { col: colour });
        let mut rectangle =
            Rect::from_xywh(Pt(x), Pt(HEIGHT - top - height), Pt(width), Pt(height));
        rectangle.mode = Some(PaintMode::Fill);
        rectangle.winding_order = Some(WindingOrder::NonZero);
        self.ops.push(Op::DrawRectangle { rectangle });
    }

    /// A horizontal line.
    fn rule(&mut self, left: f32, right: f32, from_top: f32, colour: Color, thickness: f32) {
        self.line(at(left, from_top), at(right, from_top), colour, thickness);
        self.reach(from_top);
        self.reach_right(right);
    }

    /// A dashed vertical line from `top` down to `bottom`.
    fn dashed(&mut self, x: f32, top: f32, bottom: f32, colour: Color) {
        self.reach(bottom);
        self.ops.push(Op::SetLineDashPattern { dash: LineDashPattern::new(0.0, &[2.0, 2.0]) });
        self.line(at(x, top), at(x, bottom), colour, 0.7);
        self.ops.push(Op::SetLineDashPattern { dash: LineDashPattern::solid() });
    }

    fn line(&mut self, from: Point, to: Point, colour: Color, thickness: f32) {
        self.ops.push(Op::SetOutlineColor { col: colour });
        self.ops.push(Op::SetOutlineThickness { pt: Pt(thickness) });
        self.ops.push(Op::DrawLine {
            line: printpdf::Line {
                points: vec![
                    printpdf::LinePoint { p: from, bezier: false },
                    printpdf::LinePoint { p: to, bezier: false },
                ],
                is_closed: false,
            },
        });
    }
}

/// A point given from the top-left of the landscape page.
fn at(x: f32, from_top: f32) -> Point {
    Point { x: Pt(x), y: Pt(HEIGHT - from_top) }
}

fn rgb(r: f32, g: f32, b: f32) -> Color {
    Color::Rgb(Rgb { r, g, b, icc_profile: None })
}

/// Secondary words: what a figure is out of, captions, notes.
fn grey_text() -> Color {
    rgb(0.33, 0.36, 0.37)
}

fn light_grey() -> Color {
    rgb(0.8, 0.82, 0.82)
}

/// Bars outside what the chart is about: before the range, or not in time.
fn pale_teal() -> Color {
    rgb(0.72, 0.82, 0.83)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::calendar::YearMonth;
    use crate::domain::feedback::FeedbackForm;
    use crate::domain::metrics::{
        report, Context, GoalTally, PlanQuality, Range, ReviewFacts, Step,
    };
    use crate::domain::steering::steering_page;
    use chrono::NaiveDate;

    fn day(d: &str) -> NaiveDate {
        NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap()
    }

    /// The two weights, registered with a document.
    fn fonts() -> (Typeface<'static>, Typeface<'static>, PdfDocument) {
        let faces = super::super::faces();
        let mut doc = PdfDocument::new("t");
        let regular = Typeface {
            font: &faces.regular,
            id: doc.add_font(&faces.regular),
            units_per_em: faces.regular_upem,
        };
        let bold = Typeface {
            font: &faces.bold,
            id: doc.add_font(&faces.bold),
            units_per_em: faces.bold_upem,
        };
        (regular, bold, doc)
    }

    fn page(from: &str, to: &str, name: &str) -> SteeringPage {
        let range = Range::new(day(from), day(to)).unwrap();
        let context = Context { range, pack_minimum_days: 7 };
        steering_page(&report(&[], context), name, day("2026-11-23"))
    }

    #[test]
    fn everything_stays_inside_the_page_whatever_the_range_or_the_name() {
        let (regular, bold, _doc) = fonts();
        let long = "The Very Long Named Surgery and Community Health Partnership of St Mary \
                    Magdalene and All Saints";
        for (from, to) in [("2026-08-01", "2026-10-31"), ("2020-01-01", "2026-10-31")] {
            let drawn = lay_out(&page(from, to, long), &regular, &bold);
            assert!(drawn.lowest <= BOTTOM, "{from} to {to}: down to {} of {BOTTOM}", drawn.lowest);
            assert!(drawn.lowest > BOTTOM - 80.0, "the page is used: {}", drawn.lowest);
            assert!(drawn.rightmost <= RIGHT, "{from} to {to}: {} of {RIGHT}", drawn.rightmost);
            assert!(drawn.headlines < TABLE_TOP, "{from} to {to}: {}", drawn.headlines);
        }
    }

    /// A big practice's quarter: 2,400 conversations, each with its feedback form, a fifth of
    /// the CARE forms not scored, every count four figures long.
    fn big_practice() -> SteeringPage {
        let plan = PlanQuality {
            own_words_goal: true,
            action_with_who_and_when: true,
            contingency: true,
            review_date: true,
            signposting: true,
            goals: GoalTally { achieved: 2, not_achieved: 1, ..GoalTally::default() },
        };
        let facts: Vec<ReviewFacts> = (0..2400)
            .map(|i| {
                let held = day("2026-10-01") + chrono::Duration::days(i % 30);
                let care = if i % 5 == 0 { "nnn5555555" } else { "5545545555" };
                ReviewFacts {
                    cycle_id: Some(i),
                    invitations: vec![day("2026-09-01")],
                    attended: Some(day("2026-09-10")),
                    one_visit: i % 7 != 0,
                    triaged: Some(Step { on: day("2026-09-12"), order: 5 }),
                    pack_sent: Some(Step { on: held - chrono::Duration::days(i % 20), order: 6 }),
                    conversation: Some(held),
                    agreed: Some(held),
                    plan: Some(plan),
                    feedback: Some(FeedbackForm::from_codes("443", care).unwrap().scores()),
                    ..ReviewFacts::not_opened(
                        i,
                        1 + (i % 3) as u32,
                        i % 4 == 0,
                        YearMonth::new(2026, 9).unwrap(),
                    )
                }
            })
            .collect();
        let range = Range::new(day("2026-08-01"), day("2026-10-31")).unwrap();
        let context = Context { range, pack_minimum_days: 14 };
        steering_page(&report(&facts, context), "Riverside", day("2026-11-23"))
    }

    #[test]
    fn a_big_practices_four_figure_counts_fit_and_leave_the_charts_room() {
        let (regular, bold, _doc) = fonts();
        let page = big_practice();
        assert_eq!(page.headlines[0].number, "2400");
        assert!(
            page.headlines.iter().any(|h| h.detail.contains("of 2400")),
            "{:?}",
            page.headlines
        );
        let drawn = lay_out(&page, &regular, &bold);
        assert!(drawn.rightmost <= RIGHT, "{} of {RIGHT}", drawn.rightmost);
        assert!(drawn.lowest <= BOTTOM, "{} of {BOTTOM}", drawn.lowest);
        assert!(drawn.headlines < TABLE_TOP, "{} into the table at {TABLE_TOP}", drawn.headlines);
        // The charts beside the table are narrower, and twelve months' names still fit.
        let charts = |page: &SteeringPage| {
            let columns = Columns::of(&regular, page);
            RIGHT - (LEFT + columns.label + 4.0 * columns.group) - COLUMN_GAP
        };
        let narrow = charts(&page);
        let usual = charts(&self::page("2026-08-01", "2026-10-31", "Riverside"));
        assert!(narrow < usual, "the columns grew: {narrow} against {usual}");
        let month =
            ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
                .iter()
                .map(|m| regular.width(m, SMALL))
                .fold(0.0, f32::max);
        assert!(narrow / 12.0 > month + 1.0, "{narrow} for twelve months");
    }
}
