//! A4 letter layout: the letterhead, the address where a DL window envelope shows it, the body
//! wrapped by the fonts' own glyph widths, page numbers, and large print at 16 point and over.

use printpdf::{
    Color, FontId, Line, LinePoint, Mm, Op, ParsedFont, Point, Pt, Rgb, TextItem, TextMatrix,
    XObjectTransform,
};

use super::{font_handle, Typefaces};
use crate::domain::letters::{Block, Cell, Letter, PrintSize, Table};
use crate::domain::person::format_date;

pub const A4_WIDTH: Mm = Mm(210.0);
pub const A4_HEIGHT: Mm = Mm(297.0);

const PAGE_WIDTH: f32 = 595.276;
const PAGE_HEIGHT: f32 = 841.89;
const MM: f32 = 2.834_646;

const LEFT: f32 = 25.0 * MM;
const RIGHT: f32 = PAGE_WIDTH - 20.0 * MM;
const TOP: f32 = 15.0 * MM;
const BOTTOM: f32 = PAGE_HEIGHT - 22.0 * MM;

/// A DL window envelope shows a 90 by 35 mm window 20 mm from the left; with an A4 letter
/// folded in three, that is 50 to 85 mm from the top of the page.
const WINDOW_LEFT: f32 = 25.0 * MM;
const WINDOW_TOP: f32 = 52.0 * MM;
const WINDOW_BOTTOM: f32 = 85.0 * MM;

const LOGO_HEIGHT: f32 = 20.0 * MM;
const LOGO_WIDTH: f32 = 70.0 * MM;

/// A font registered with the document, with what is needed to measure text in it.
pub struct Typeface<'a> {
    pub font: &'a ParsedFont,
    pub id: FontId,
    pub units_per_em: f32,
}

impl Typeface<'_> {
    /// The width of `text` at `size` points, from the font's own glyph advances.
    pub fn width(&self, text: &str, size: f32) -> f32 {
        let units: u32 = text
            .chars()
            .map(|c| {
                let glyph = self
                    .font
                    .lookup_glyph_index(c as u32)
                    .or_else(|| self.font.lookup_glyph_index('?' as u32));
                glyph.map_or(0, |g| u32::from(self.font.get_horizontal_advance(g)))
            })
            .sum();
        units as f32 * size / self.units_per_em
    }
}

/// The type sizes of a letter, in points.
#[derive(Clone, Copy)]
struct Sizes {
    body: f32,
    heading: f32,
    small: f32,
    practice: f32,
    letterhead: f32,
    address: f32,
    leading: f32,
    indent: f32,
    /// Text inside a table (standard print only: large print reflows tables).
    table: f32,
    /// The space between ruled lines to write on.
    writing_line: f32,
}

impl Sizes {
    fn of(print: PrintSize) -> Sizes {
        match print {
            PrintSize::Standard => Sizes {
                body: 11.0,
                heading: 13.0,
                small: 9.0,
                practice: 14.0,
                letterhead: 10.0,
                address: 11.0,
                leading: 1.35,
                indent: 6.0 * MM,
                table: 9.5,
                writing_line: 7.5 * MM,
            },
            PrintSize::Large => Sizes {
                body: 16.0,
                heading: 19.0,
                small: 13.0,
                practice: 16.0,
                letterhead: 12.0,
                address: 14.0,
                leading: 1.35,
                indent: 9.0 * MM,
                table: 16.0,
                writing_line: 12.0 * MM,
            },
        }
    }
}

/// One laid-out page.
pub struct Page {
    pub ops: Vec<Op>,
}

impl Page {
    /// The back of a letter's last sheet, so the next letter starts on a new sheet.
    pub fn intentionally_blank(fonts: &Typefaces<'_>) -> Page {
        let mut ops = Vec::new();
        let text = "This page is intentionally blank";
        let width = fonts.regular.width(text, 9.0);
        draw_text(
            &mut ops,
            &fonts.regular,
            9.0,
            (PAGE_WIDTH - width) / 2.0,
            PAGE_HEIGHT / 2.0,
            text,
        );
        Page { ops }
    }
}

/// Lays out one letter into as many pages as it needs, numbered "Page n of m".
pub fn lay_out_letter(letter: &Letter, fonts: &Typefaces<'_>) -> Vec<Page> {
    let sizes = Sizes::of(letter.print);
    let mut writer =
        Writer { fonts, sizes, print: letter.print, pages: Vec::new(), ops: Vec::new(), y: 0.0 };
    writer.letterhead(letter);
    writer.address(letter);
    writer.y = WINDOW_BOTTOM + 6.0 * MM;
    for line in &letter.reference {
        writer.line(&fonts.regular, writer.sizes.body, LEFT, line);
    }
    writer.gap(writer.sizes.body * 0.8);
    writer.paragraph(&fonts.bold, writer.sizes.heading, &letter.subject, 0.0);
    writer.gap(writer.sizes.body * 0.6);
    for (k, block) in letter.blocks.iter().enumerate() {
        if let (Block::Heading(_), Some(next)) = (block, letter.blocks.get(k + 1)) {
            writer.keep_with_next(next);
        }
        writer.block(block);
    }
    writer.pages.push(std::mem::take(&mut writer.ops));
    let total = writer.pages.len();
    writer
        .pages
        .into_iter()
        .enumerate()
        .map(|(i, mut ops)| {
            let number = format!("Page {} of {total}", i + 1);
            let width = fonts.regular.width(&number, sizes.small);
            draw_text(
                &mut ops,
                &fonts.regular,
                sizes.small,
                (PAGE_WIDTH - width) / 2.0,
                PAGE_HEIGHT - 12.0 * MM,
                &number,
            );
            if i > 0 {
                draw_text(
                    &mut ops,
                    &fonts.regular,
                    sizes.small,
                    LEFT,
                    TOP + sizes.small,
                    &letter.continuation,
                );
            }
            Page { ops: compact(ops) }
        })
        .collect()
}

/// The same page in fewer operations: lines of text that follow one another share one text
/// object (each line is placed absolutely), and the font and colour are set only when they
/// change. A big batch is far quicker to save, and its file smaller.
pub(super) fn compact(ops: Vec<Op>) -> Vec<Op> {
    let mut out: Vec<Op> = Vec::with_capacity(ops.len());
    let mut font: Option<Op> = None;
    let mut fill: Option<Op> = None;
    for op in ops {
        match &op {
            Op::StartTextSection if matches!(out.last(), Some(Op::EndTextSection)) => {
                out.pop();
                continue;
            }
            Op::SetFont { .. } if font.as_ref() == Some(&op) => continue,
            Op::SetFont { .. } => font = Some(op.clone()),
            Op::SetFillColor { .. } if fill.as_ref() == Some(&op) => continue,
            Op::SetFillColor { .. } => fill = Some(op.clone()),
            _ => {}
        }
        out.push(op);
    }
    out
}

/// Writes text downwards from the top of the page, starting new pages as it goes.
struct Writer<'a, 'f> {
    fonts: &'a Typefaces<'f>,
    sizes: Sizes,
    print: PrintSize,
    pages: Vec<Vec<Op>>,
    ops: Vec<Op>,
    /// The top of the next line, in points from the top of the page.
    y: f32,
}

impl Writer<'_, '_> {
    fn letterhead(&mut self, letter: &Letter) {
        let head = &letter.letterhead;
        let fonts = self.fonts;
        if let Some(logo) = &fonts.logo {
            // At most 20 mm tall and 70 mm wide, at the top left, clear of the address window.
            let scale = (LOGO_HEIGHT / logo.height).min(LOGO_WIDTH / logo.width);
            let height = logo.height * scale;
            self.ops.push(Op::UseXobject {
                id: logo.id.clone(),
                transform: XObjectTransform {
                    translate_x: Some(Pt(LEFT)),
                    translate_y: Some(Pt(PAGE_HEIGHT - TOP - height)),
                    scale_x: Some(scale),
                    scale_y: Some(scale),
                    dpi: Some(72.0),
                    ..XObjectTransform::default()
                },
            });
        }
        let mut y = TOP;
        let mut right = |ops: &mut Vec<Op>, face: &Typeface<'_>, size: f32, text: &str| {
            let width = face.width(text, size);
            draw_text(ops, face, size, RIGHT - width, y + size, text);
            y += size * 1.3;
        };
        right(&mut self.ops, &fonts.bold, self.sizes.practice, &head.practice_name);
        for line in &head.address {
            right(&mut self.ops, &fonts.regular, self.sizes.letterhead, line);
        }
        if !head.phone.trim().is_empty() {
            right(
                &mut self.ops,
                &fonts.regular,
                self.sizes.letterhead,
                &format!("Telephone {}", head.phone.trim()),
            );
        }
        if !head.email.trim().is_empty() {
            right(&mut self.ops, &fonts.regular, self.sizes.letterhead, head.email.trim());
        }
        let date = format_date(letter.date);
        let width = fonts.regular.width(&date, self.sizes.body);
        let date_top = (y + 2.0 * MM).max(WINDOW_TOP);
        draw_text(
            &mut self.ops,
            &fonts.regular,
            self.sizes.body,
            RIGHT - width,
            date_top + self.sizes.body,
            &date,
        );
        self.ops.push(Op::SetOutlineColor { col: teal() });
        self.ops.push(Op::SetOutlineThickness { pt: Pt(0.8) });
        self.ops.push(Op::DrawLine {
            line: Line {
                points: vec![
                    LinePoint { p: point(LEFT, TOP - 4.0 * MM), bezier: false },
                    LinePoint { p: point(RIGHT, TOP - 4.0 * MM), bezier: false },
                ],
                is_closed: false,
            },
        });
    }

    /// The name and address inside the envelope window, shrunk if a long address needs it.
    fn address(&mut self, letter: &Letter) {
        let lines: Vec<&str> = std::iter::once(letter.recipient.name.as_str())
            .chain(letter.recipient.address.iter().map(String::as_str))
            .collect();
        let room = WINDOW_BOTTOM - WINDOW_TOP;
        let mut size = self.sizes.address;
        while lines.len() as f32 * size * 1.2 > room && size > 8.0 {
            size -= 0.5;
        }
        let mut y = WINDOW_TOP;
        for line in lines {
            draw_text(&mut self.ops, &self.fonts.regular, size, WINDOW_LEFT, y + size, line);
            y += size * 1.2;
        }
    }

    /// Before a heading: room for it and the first part of what follows (a whole first
    /// point of a list, at least two lines otherwise), so a heading never ends a page alone.
    fn keep_with_next(&mut self, next: &Block) {
        let (body, heading, leading) = (self.sizes.body, self.sizes.heading, self.sizes.leading);
        let lines = match next {
            Block::Bullets(items) => items.first().map_or(2, |item| {
                wrap(&self.fonts.regular, body, item, RIGHT - LEFT - self.sizes.indent).len()
            }),
            Block::Paragraph(text) => {
                wrap(&self.fonts.regular, body, text, RIGHT - LEFT).len().min(2)
            }
            _ => 2,
        };
        self.make_room(heading * leading + lines as f32 * body * leading + body);
    }

    fn block(&mut self, block: &Block) {
        let (body, heading) = (self.sizes.body, self.sizes.heading);
        match block {
            Block::Heading(text) => {
                // Keep a heading with at least two lines of what follows it.
                self.make_room(
                    heading * self.sizes.leading + 2.0 * body * self.sizes.leading + body,
                );
                self.gap(body * 0.5);
                self.paragraph(&self.fonts.bold, heading, text, 0.0);
                self.gap(body * 0.25);
            }
            Block::Paragraph(text) => {
                self.paragraph(&self.fonts.regular, body, text, 0.0);
                self.gap(body * 0.6);
            }
            Block::Bullets(items) => {
                for item in items {
                    // A point is never split between pages.
                    let width = RIGHT - LEFT - self.sizes.indent;
                    let lines = wrap(&self.fonts.regular, body, item, width).len();
                    self.make_room(lines as f32 * body * self.sizes.leading);
                    draw_text(
                        &mut self.ops,
                        &self.fonts.regular,
                        body,
                        LEFT + self.sizes.indent * 0.3,
                        self.y + body,
                        "•",
                    );
                    self.paragraph(&self.fonts.regular, body, item, self.sizes.indent);
                    self.gap(body * 0.2);
                }
                self.gap(body * 0.4);
            }
            Block::Closing(lines) => {
                self.make_room(lines.len() as f32 * body * self.sizes.leading + body * 2.0);
                self.gap(body * 0.4);
                for (i, line) in lines.iter().enumerate() {
                    if i == 1 {
                        self.gap(body * 1.2);
                    }
                    self.line(&self.fonts.regular, body, LEFT, line);
                }
                self.gap(body * 0.8);
            }
            Block::Table(table) => match self.print {
                PrintSize::Standard => self.table(table),
                PrintSize::Large => self.reflowed_table(table),
            },
            Block::Prompt { text, lines } => {
                let width = RIGHT - LEFT;
                let question = wrap(&self.fonts.bold, body, text, width).len() as f32;
                // A question is never parted from its lines.
                self.make_room(
                    question * body * self.sizes.leading
                        + f32::from(*lines) * self.sizes.writing_line
                        + body,
                );
                self.gap(body * 0.4);
                self.paragraph(&self.fonts.bold, body, text, 0.0);
                for _ in 0..*lines {
                    self.y += self.sizes.writing_line;
                    rule(&mut self.ops, LEFT, RIGHT, self.y, grey(), 0.5);
                }
                self.gap(body * 0.6);
            }
            Block::NumberedLines { text, count } => {
                let question = wrap(&self.fonts.bold, body, text, RIGHT - LEFT).len() as f32;
                self.make_room(
                    question * body * self.sizes.leading
                        + f32::from(*count) * self.sizes.writing_line
                        + body,
                );
                self.gap(body * 0.4);
                self.paragraph(&self.fonts.bold, body, text, 0.0);
                for n in 1..=*count {
                    self.y += self.sizes.writing_line;
                    let label = format!("{n}.");
                    draw_text(&mut self.ops, &self.fonts.regular, body, LEFT, self.y - 2.0, &label);
                    rule(&mut self.ops, LEFT + self.sizes.indent, RIGHT, self.y, grey(), 0.5);
                }
                self.gap(body);
            }
            Block::NewPage => self.new_page(),
        }
    }

    /// A table in standard print: column headings repeated on every page it runs onto, a
    /// section heading kept with its first row, and no row split between pages.
    fn table(&mut self, table: &Table) {
        let size = self.sizes.table;
        let leading = size * 1.3;
        let pad = 2.5;
        let total: f32 = table.columns.iter().map(|c| f32::from(c.share)).sum::<f32>().max(1.0);
        let widths: Vec<f32> =
            table.columns.iter().map(|c| (RIGHT - LEFT) * f32::from(c.share) / total).collect();
        let cell_lines = |face: &Typeface<'_>, cell: &[String], width: f32| -> Vec<String> {
            cell.iter()
                .flat_map(|entry| entry.split('\n'))
                .flat_map(|part| wrap(face, size, part, width - 2.0 * pad))
                .collect()
        };
        let headings: Vec<Vec<String>> = table
            .columns
            .iter()
            .zip(&widths)
            .map(|(c, w)| cell_lines(&self.fonts.bold, std::slice::from_ref(&c.heading), *w))
            .collect();
        let heading_height =
            headings.iter().map(Vec::len).max().unwrap_or(1) as f32 * leading + 2.0 * pad;
        let draw_headings = |writer: &mut Self| {
            let top = writer.y;
            let mut x = LEFT;
            for (lines, width) in headings.iter().zip(&widths) {
                for (i, line) in lines.iter().enumerate() {
                    let baseline = top + pad + size + i as f32 * leading;
                    draw_text(&mut writer.ops, &writer.fonts.bold, size, x + pad, baseline, line);
                }
                x += width;
            }
            writer.y += heading_height;
            rule(&mut writer.ops, LEFT, RIGHT, writer.y, teal(), 0.8);
        };
        let mut headed = false;
        for section in &table.sections {
            let rows: Vec<Vec<Vec<String>>> = section
                .rows
                .iter()
                .map(|row| {
                    row.iter()
                        .zip(&widths)
                        .enumerate()
                        .map(|(i, (cell, w))| {
                            let face = if i == 0 { &self.fonts.bold } else { &self.fonts.regular };
                            cell_lines(face, cell, *w)
                        })
                        .collect()
                })
                .collect();
            let height = |row: &Vec<Vec<String>>| {
                row.iter().map(Vec::len).max().unwrap_or(1) as f32 * leading + 2.0 * pad
            };
            let section_height = self.sizes.body * 1.6;
            let first = rows.first().map_or(0.0, height);
            // The column headings, a section's heading and its first row stay together.
            let needed = section_height + first + if headed { 0.0 } else { heading_height };
            if self.y + needed > BOTTOM {
                self.new_page();
                headed = false;
            }
            if !headed {
                draw_headings(self);
                headed = true;
            }
            self.y += self.sizes.body * 0.5;
            draw_text(
                &mut self.ops,
                &self.fonts.bold,
                self.sizes.body,
                LEFT,
                self.y + self.sizes.body,
                &section.heading,
            );
            self.y += section_height - self.sizes.body * 0.5;
            for row in &rows {
                let row_height = height(row);
                if self.y + row_height > BOTTOM {
                    self.new_page();
                    draw_headings(self);
                }
                let mut x = LEFT;
                for (i, (lines, width)) in row.iter().zip(&widths).enumerate() {
                    let face = if i == 0 { &self.fonts.bold } else { &self.fonts.regular };
                    for (n, line) in lines.iter().enumerate() {
                        let baseline = self.y + pad + size + n as f32 * leading;
                        draw_text(&mut self.ops, face, size, x + pad, baseline, line);
                    }
                    x += width;
                }
                self.y += row_height;
                rule(&mut self.ops, LEFT, RIGHT, self.y, grey(), 0.4);
            }
        }
        self.gap(self.sizes.body);
    }

    /// A table in large print: each row becomes its name in bold and one line per column,
    /// "Heading: value", at full size, so the content is the same but nothing is shrunk.
    fn reflowed_table(&mut self, table: &Table) {
        let body = self.sizes.body;
        let leading = body * self.sizes.leading;
        let width = RIGHT - LEFT - self.sizes.indent;
        let reflow = |cell: &Cell| -> String {
            cell.iter()
                .map(|entry| entry.split('\n').collect::<Vec<_>>().join(" "))
                .collect::<Vec<_>>()
                .join("; ")
        };
        for section in &table.sections {
            let rows: Vec<(String, Vec<String>)> = section
                .rows
                .iter()
                .map(|row| {
                    let name = row.first().map(reflow).unwrap_or_default();
                    let lines = table
                        .columns
                        .iter()
                        .zip(row)
                        .skip(1)
                        .map(|(column, cell)| (column, reflow(cell)))
                        .filter(|(_, text)| !text.trim().is_empty())
                        .map(|(column, text)| format!("{}: {text}", column.heading))
                        .collect();
                    (name, lines)
                })
                .collect();
            let height = |(name, lines): &(String, Vec<String>)| {
                let count = wrap(&self.fonts.bold, body, name, RIGHT - LEFT).len()
                    + lines
                        .iter()
                        .map(|l| wrap(&self.fonts.regular, body, l, width).len())
                        .sum::<usize>();
                count as f32 * leading + body * 0.6
            };
            // A section's heading stays with its first result.
            let first = rows.first().map_or(0.0, height);
            self.make_room(self.sizes.heading * self.sizes.leading + body * 0.75 + first);
            self.block(&Block::Heading(section.heading.clone()));
            for row in &rows {
                // One result is never split between pages.
                self.make_room(height(row));
                let (name, lines) = row;
                self.paragraph(&self.fonts.bold, body, name, 0.0);
                for line in lines {
                    self.paragraph(&self.fonts.regular, body, line, self.sizes.indent);
                }
                self.gap(body * 0.6);
            }
        }
    }

    /// Wraps `text` to the page width and writes it, line by line.
    fn paragraph(&mut self, face: &Typeface<'_>, size: f32, text: &str, indent: f32) {
        let width = RIGHT - LEFT - indent;
        for line in wrap(face, size, text, width) {
            self.line(face, size, LEFT + indent, &line);
        }
    }

    fn line(&mut self, face: &Typeface<'_>, size: f32, x: f32, text: &str) {
        let height = size * self.sizes.leading;
        self.make_room(height);
        draw_text(&mut self.ops, face, size, x, self.y + size, text);
        self.y += height;
    }

    fn gap(&mut self, height: f32) {
        self.y += height;
    }

    /// Starts a new page unless `height` more points fit on this one.
    fn make_room(&mut self, height: f32) {
        if self.y + height > BOTTOM {
            self.new_page();
        }
    }

    fn new_page(&mut self) {
        self.pages.push(std::mem::take(&mut self.ops));
        self.y = TOP + 12.0 * MM;
    }
}

/// Splits text into lines no wider than `width`, breaking between words (and inside a word only
/// when it is longer than a whole line).
pub(super) fn wrap(face: &Typeface<'_>, size: f32, text: &str, width: f32) -> Vec<String> {
    let mut lines = Vec::new();
    let mut current = String::new();
    for word in text.split_whitespace() {
        let candidate =
            if current.is_empty() { word.to_string() } else { format!("{current} {word}") };
        if face.width(&candidate, size) <= width {
            current = candidate;
            continue;
        }
        if !current.is_empty() {
            lines.push(std::mem::take(&mut current));
        }
        if face.width(word, size) <= width {
            current = word.to_string();
        } else {
            for c in word.chars() {
                if face.width(&format!("{current}{c}"), size) > width && !current.is_empty() {
                    lines.push(std::mem::take(&mut current));
                }
                current.push(c);
            }
        }
    }
    if !current.is_empty() {
        lines.push(current);
    }
    lines
}

/// One line of text with its baseline `baseline` points from the top of the page.
fn draw_text(ops: &mut Vec<Op>, face: &Typeface<'_>, size: f32, x: f32, baseline: f32, text: &str) {
    show_text(ops, face, size, point(x, baseline), ink(), text);
}

/// One line of text in `colour`, its baseline starting at `at` (measured from the bottom-left,
/// as PDF measures), on a page of any size.
pub(super) fn show_text(
    ops: &mut Vec<Op>,
    face: &Typeface<'_>,
    size: f32,
    at: Point,
    colour: Color,
    text: &str,
) {
    ops.push(Op::StartTextSection);
    ops.push(Op::SetFillColor { col: colour });
    ops.push(Op::SetFont { font: font_handle(&face.id), size: Pt(size) });
    ops.push(Op::SetTextMatrix { matrix: TextMatrix::Translate(at.x, at.y) });
    ops.push(Op::ShowText { items: vec![TextItem::Text(text.to_string())] });
    ops.push(Op::EndTextSection);
}

/// A point given from the top-left, as PDF wants it from the bottom-left.
fn point(x: f32, from_top: f32) -> Point {
    Point { x: Pt(x), y: Pt(PAGE_HEIGHT - from_top) }
}

/// A horizontal line across the page at `from_top`.
fn rule(ops: &mut Vec<Op>, left: f32, right: f32, from_top: f32, colour: Color, thickness: f32) {
    ops.push(Op::SetOutlineColor { col: colour });
    ops.push(Op::SetOutlineThickness { pt: Pt(thickness) });
    ops.push(Op::DrawLine {
        line: Line {
            points: vec![
                LinePoint { p: point(left, from_top), bezier: false },
                LinePoint { p: point(right, from_top), bezier: false },
            ],
            is_closed: false,
        },
    });
}

pub(super) fn grey() -> Color {
    Color::Rgb(Rgb { r: 0.6, g: 0.6, b: 0.6, icc_profile: None })
}

pub(super) fn ink() -> Color {
    Color::Rgb(Rgb { r: 0.0, g: 0.0, b: 0.0, icc_profile: None })
}

pub(super) fn teal() -> Color {
    Color::Rgb(Rgb { r: 0.114, g: 0.361, b: 0.388, icc_profile: None })
}
