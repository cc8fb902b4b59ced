//! PDF layout only: takes plain document models (letters, the steering group's report) and
//! returns the bytes of a PDF with real, selectable text in embedded fonts. It never decides
//! what a document says.

mod layout;
mod report;

use std::sync::OnceLock;

use chrono::NaiveDateTime;
use printpdf::{FontId, ParsedFont, PdfDocument, PdfPage, PdfSaveOptions, RawImage, XObjectId};

use crate::domain::letters::Letter;
use crate::domain::practice::Logo;
use layout::{lay_out_letter, Page, Typeface, A4_HEIGHT, A4_WIDTH};
pub use report::steering_pdf;

/// A finished PDF and how its pages fell.
pub struct RenderedLetters {
    pub pdf: Vec<u8>,
    /// The first page (counting from 1) of each letter, in order.
    pub first_pages: Vec<usize>,
    pub pages: usize,
}

/// Lays out letters one after another in one PDF. Each letter starts on an odd page, so that
/// printing on both sides never puts two people's letters on one sheet.
pub fn letters_pdf(letters: &[Letter], title: &str, created: NaiveDateTime) -> RenderedLetters {
    let mut doc = PdfDocument::new(title);
    let faces = faces();
    // Letters in one batch share the practice's letterhead, and so its logo.
    let logo = letters
        .first()
        .and_then(|l| l.letterhead.logo.as_ref())
        .and_then(|logo| decode(logo).ok())
        .map(|image| LogoImage {
            width: image.width as f32,
            height: image.height as f32,
            id: doc.add_image(&image),
        });
    let fonts = Typefaces {
        regular: Typeface {
            font: &faces.regular,
            id: doc.add_font(&faces.regular),
            units_per_em: faces.regular_upem,
        },
        bold: Typeface {
            font: &faces.bold,
            id: doc.add_font(&faces.bold),
            units_per_em: faces.bold_upem,
        },
        logo,
    };
    // Letters are laid out independently, so a big batch shares the work between the cores.
    let laid_out: Vec<Vec<Page>> = lay_out_all(letters, &fonts);
    let mut pages: Vec<Page> = Vec::new();
    let mut first_pages = Vec::with_capacity(letters.len());
    for letter_pages in laid_out {
        first_pages.push(pages.len() + 1);
        pages.extend(letter_pages);
        if pages.len() % 2 == 1 {
            pages.push(Page::intentionally_blank(&fonts));
        }
    }
    if let Ok(created) = printpdf::DateTime::from_unix_timestamp(created.and_utc().timestamp()) {
        doc.metadata.info.creation_date = created;
        doc.metadata.info.modification_date = created;
        doc.metadata.info.metadata_date = created;
    }
    doc.metadata.info.creator = "Alongside".to_string();
    doc.metadata.info.producer = "Alongside".to_string();
    let count = pages.len();
    let pdf_pages: Vec<PdfPage> =
        pages.into_iter().map(|p| PdfPage::new(A4_WIDTH, A4_HEIGHT, p.ops)).collect();
    let pdf = save(&doc, pdf_pages);
    RenderedLetters { pdf, first_pages, pages: count }
}

/// The document with `pages` as PDF bytes. printpdf turns a document into PDF objects on one
/// core, so a big batch is split into as many runs of pages as there are cores (up to 4), each
/// turned into objects on its own thread, then joined into one PDF, whose streams are then
/// compressed on every core.
fn save(doc: &PdfDocument, pages: Vec<PdfPage>) -> Vec<u8> {
    let options = PdfSaveOptions { optimize: false, ..PdfSaveOptions::default() };
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, 4);
    let threads = if pages.len() < 64 { 1 } else { threads };
    let per_part = pages.len().div_ceil(threads).max(1);
    let mut parts: Vec<Vec<PdfPage>> = Vec::with_capacity(threads);
    let mut pages = pages.into_iter().peekable();
    while pages.peek().is_some() {
        parts.push(pages.by_ref().take(per_part).collect());
    }
    if parts.is_empty() {
        parts.push(Vec::new());
    }
    let mut documents: Vec<lopdf::Document> = std::thread::scope(|scope| {
        let workers: Vec<_> = parts
            .into_iter()
            .map(|part| {
                let mut own = doc.clone();
                own.with_pages(part);
                let options = &options;
                scope.spawn(move || own.to_lopdf_document(options, &mut Vec::new()))
            })
            .collect();
        workers.into_iter().map(|w| w.join().expect("making PDF objects never panics")).collect()
    });
    let mut pdf = documents.remove(0);
    for other in documents {
        append_pages(&mut pdf, other);
    }
    let mut streams: Vec<&mut lopdf::Stream> = pdf
        .objects
        .values_mut()
        .filter_map(|object| match object {
            lopdf::Object::Stream(stream) if stream.allows_compression => Some(stream),
            _ => None,
        })
        .filter(|stream| stream.dict.get(b"Filter").is_err())
        .collect();
    let chunk = streams.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        for part in streams.chunks_mut(chunk) {
            scope.spawn(move || part.iter_mut().for_each(|stream| compress(stream)));
        }
    });
    let mut bytes = Vec::new();
    pdf.save_to(&mut bytes).expect("writing a PDF to memory cannot fail");
    bytes
}

/// Moves the pages of `other` (with everything they use: their contents, resources and fonts)
/// to the end of `pdf`'s page tree. `other`'s own catalogue, page tree and information are
/// left behind.
fn append_pages(pdf: &mut lopdf::Document, mut other: lopdf::Document) {
    other.renumber_objects_with(pdf.max_id + 1);
    pdf.max_id = other.max_id;
    let pages_id = pdf
        .catalog()
        .and_then(|c| c.get(b"Pages"))
        .and_then(|p| p.as_reference())
        .expect("a document printpdf made has a page tree");
    let moved: Vec<lopdf::ObjectId> = other.get_pages().into_values().collect();
    let is_page: std::collections::HashSet<lopdf::ObjectId> = moved.iter().copied().collect();
    let mut left_behind = vec![];
    if let Ok(catalog) = other.catalog() {
        left_behind.extend(catalog.get(b"Pages").and_then(|p| p.as_reference()).ok());
    }
    left_behind.extend(other.trailer.get(b"Root").and_then(|r| r.as_reference()).ok());
    left_behind.extend(other.trailer.get(b"Info").and_then(|r| r.as_reference()).ok());
    for (id, object) in other.objects {
        if left_behind.contains(&id) {
            continue;
        }
        let object = match object {
            lopdf::Object::Dictionary(mut page) if is_page.contains(&id) => {
                page.set("Parent", lopdf::Object::Reference(pages_id));
                lopdf::Object::Dictionary(page)
            }
            other => other,
        };
        pdf.objects.insert(id, object);
    }
    if let Ok(lopdf::Object::Dictionary(tree)) = pdf.get_object_mut(pages_id) {
        let count = tree.get(b"Count").and_then(|c| c.as_i64()).unwrap_or(0);
        tree.set("Count", lopdf::Object::Integer(count + moved.len() as i64));
        if let Ok(lopdf::Object::Array(kids)) = tree.get_mut(b"Kids") {
            kids.extend(moved.iter().map(|id| lopdf::Object::Reference(*id)));
        }
    }
}

/// Deflates one stream, as printpdf would, at the default level (nearly as small, far quicker).
fn compress(stream: &mut lopdf::Stream) {
    use std::io::Write as _;
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
    if encoder.write_all(&stream.content).is_err() {
        return;
    }
    if let Ok(compressed) = encoder.finish() {
        if compressed.len() + 19 < stream.content.len() {
            stream.dict.set("Filter", "FlateDecode");
            stream.set_content(compressed);
        }
    }
}

/// Each letter's pages, in order, laid out on as many threads as there are cores (up to 4)
/// when the batch is big enough for that to pay.
fn lay_out_all(letters: &[Letter], fonts: &Typefaces<'_>) -> Vec<Vec<Page>> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(4);
    if threads < 2 || letters.len() < 16 {
        return letters.iter().map(|l| lay_out_letter(l, fonts)).collect();
    }
    let chunk = letters.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let workers: Vec<_> = letters
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || {
                    part.iter().map(|l| lay_out_letter(l, fonts)).collect::<Vec<_>>()
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().expect("laying out a letter never panics"))
            .collect()
    })
}

/// The two weights of the letter face, and the logo if there is one, registered with one
/// document.
pub(crate) struct Typefaces<'a> {
    pub regular: Typeface<'a>,
    pub bold: Typeface<'a>,
    pub logo: Option<LogoImage>,
}

/// The logo as an image in the document, with its size in pixels.
pub(crate) struct LogoImage {
    pub id: XObjectId,
    pub width: f32,
    pub height: f32,
}

/// Whether a logo can be drawn on a letter; the message says what is wrong with it if not.
pub fn check_logo(logo: &Logo) -> Result<(), String> {
    let image = decode(logo)?;
    if image.width < 16 || image.height < 16 {
        return Err(
            "the logo is too small to print clearly (it needs at least 16 pixels each way)".into(),
        );
    }
    Ok(())
}

fn decode(logo: &Logo) -> Result<RawImage, String> {
    RawImage::decode_from_bytes(logo.png(), &mut Vec::new())
        .map_err(|e| format!("the logo cannot be read as an image: {e}"))
}

struct Faces {
    regular: ParsedFont,
    bold: ParsedFont,
    regular_upem: f32,
    bold_upem: f32,
}

/// The fonts, parsed once per process.
fn faces() -> &'static Faces {
    static FACES: OnceLock<Faces> = OnceLock::new();
    FACES.get_or_init(|| {
        let parse = |bytes: &[u8]| {
            ParsedFont::from_bytes(bytes, 0, &mut Vec::new())
                .expect("the bundled DejaVu font parses")
        };
        let regular = parse(crate::assets::FONT_REGULAR);
        let bold = parse(crate::assets::FONT_BOLD);
        let regular_upem = f32::from(regular.font_metrics.units_per_em);
        let bold_upem = f32::from(bold.font_metrics.units_per_em);
        Faces { regular, bold, regular_upem, bold_upem }
    })
}

/// The id a font was registered under, for `Op::SetFont`.
pub(crate) fn font_handle(id: &FontId) -> printpdf::PdfFontHandle {
    printpdf::PdfFontHandle::External(id.clone())
}
