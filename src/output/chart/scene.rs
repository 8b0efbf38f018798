//! A laid-out picture: pixel-positioned shapes and measured text, painted on a plotters backend.
//!
//! Layout code produces a [`Scene`]; [`to_svg`] and [`to_png`] only paint it. Keeping geometry
//! here (rather than inside plotters' chart builder) lets tests check that labels do not overlap
//! and lets SVG and PNG share exactly the same coordinates.

use std::sync::OnceLock;

use ab_glyph::{point, Font, FontRef, GlyphId, PxScale, ScaleFont};

use plotters::backend::{BitMapBackend, DrawingBackend, SVGBackend};
use plotters::coord::Shift;
use plotters::drawing::{DrawingArea, IntoDrawingArea};
use plotters::element::{PathElement, Polygon, Rectangle, Text};
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{Color, FontDesc, FontFamily, FontStyle, RGBColor, TextStyle};

use super::{ChartError, Rgb};

/// The family name the embedded font is registered under; SVG viewers without it fall back to
/// their own sans-serif, which is narrower than DejaVu Sans, so measured labels still fit.
pub const FONT_FAMILY: &str = "sans-serif";

static REGULAR: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans.ttf");
static BOLD: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans-Bold.ttf");

/// Registers the embedded font once per process; every measuring or drawing call goes through it.
pub fn ensure_font() -> Result<(), ChartError> {
    static DONE: OnceLock<Result<(), String>> = OnceLock::new();
    DONE.get_or_init(|| {
        plotters::style::register_font(FONT_FAMILY, FontStyle::Normal, REGULAR)
            .map_err(|_| "DejaVuSans.ttf is not a valid font".to_string())?;
        plotters::style::register_font(FONT_FAMILY, FontStyle::Bold, BOLD)
            .map_err(|_| "DejaVuSans-Bold.ttf is not a valid font".to_string())
    })
    .clone()
    .map_err(ChartError::Font)
}

fn font(size: f64, bold: bool) -> FontDesc<'static> {
    let style = if bold {
        FontStyle::Bold
    } else {
        FontStyle::Normal
    };
    FontDesc::new(FontFamily::Name(FONT_FAMILY), size, style)
}

fn face(bold: bool) -> Result<&'static FontRef<'static>, ChartError> {
    static FACES: OnceLock<Result<(FontRef<'static>, FontRef<'static>), String>> = OnceLock::new();
    let faces = FACES
        .get_or_init(|| {
            let r = FontRef::try_from_slice(REGULAR).map_err(|e| e.to_string())?;
            let b = FontRef::try_from_slice(BOLD).map_err(|e| e.to_string())?;
            Ok((r, b))
        })
        .as_ref()
        .map_err(|e| ChartError::Font(e.clone()))?;
    Ok(if bold { &faces.1 } else { &faces.0 })
}

/// Width in pixels of `text` at `size` in the embedded font (`size` is the pixel height from
/// descender to ascender, as plotters uses it).
pub fn text_width(text: &str, size: f64, bold: bool) -> Result<i32, ChartError> {
    let font = face(bold)?.as_scaled(PxScale::from(size as f32));
    let mut w = 0f32;
    let mut prev: Option<GlyphId> = None;
    for c in text.chars() {
        let id = font.glyph_id(c);
        if let Some(p) = prev {
            w += font.kern(p, id);
        }
        w += font.h_advance(id);
        prev = Some(id);
    }
    Ok(w.ceil() as i32 + 1)
}

/// Rasterises text into an RGB buffer, blending by glyph coverage. plotters' ab_glyph path
/// drops each glyph's side bearing (digits like `1` drift left), so PNG text is drawn here.
fn raster_text(
    buf: &mut [u8],
    (w, h): (u32, u32),
    text: &str,
    (x, y): (i32, i32),
    TextSpec { size, bold, color }: TextSpec,
    anchor: Anchor,
) -> Result<(), ChartError> {
    let width = text_width(text, size, bold)? - 1;
    let font = face(bold)?.as_scaled(PxScale::from(size as f32));
    let mut pen = match anchor {
        Anchor::Left => x as f32,
        Anchor::Center => x as f32 - width as f32 / 2.0,
        Anchor::Right => x as f32 - width as f32,
    };
    // Baseline so that the middle of the lower-case letters sits on y, as SVG's dy=0.5ex does.
    let baseline = y as f32 + (0.31 * size) as f32;
    let mut prev: Option<GlyphId> = None;
    for c in text.chars() {
        let id = font.glyph_id(c);
        if let Some(p) = prev {
            pen += font.kern(p, id);
        }
        let glyph = id.with_scale_and_position(font.scale(), point(pen, baseline));
        if let Some(outlined) = font.outline_glyph(glyph) {
            let b = outlined.px_bounds();
            outlined.draw(|gx, gy, cov| {
                let px = b.min.x as i64 + i64::from(gx);
                let py = b.min.y as i64 + i64::from(gy);
                if px < 0 || py < 0 || px >= i64::from(w) || py >= i64::from(h) {
                    return;
                }
                let i = (py as usize * w as usize + px as usize) * 3;
                let a = cov.clamp(0.0, 1.0);
                for (k, c) in [color.0, color.1, color.2].into_iter().enumerate() {
                    let bg = f32::from(buf[i + k]);
                    buf[i + k] = (bg + (f32::from(c) - bg) * a).round() as u8;
                }
            });
        }
        pen += font.h_advance(id);
        prev = Some(id);
    }
    Ok(())
}

/// `text` shortened with an ellipsis until it fits in `max_w` pixels.
pub fn fit_text(text: &str, size: f64, bold: bool, max_w: i32) -> Result<String, ChartError> {
    if text_width(text, size, bold)? <= max_w {
        return Ok(text.to_string());
    }
    let chars: Vec<char> = text.chars().collect();
    let mut n = chars.len();
    while n > 0 {
        n -= 1;
        let s: String = chars[..n].iter().chain(std::iter::once(&'…')).collect();
        if text_width(&s, size, bold)? <= max_w {
            return Ok(s);
        }
    }
    Ok(String::new())
}

/// Horizontal anchor of a text item.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Anchor {
    /// `x` is the left edge.
    Left,
    /// `x` is the centre.
    Center,
    /// `x` is the right edge.
    Right,
}

/// What a text item is, so tests can pick the labels they care about.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum TextRole {
    /// Figure title or subtitle.
    Title,
    /// A row label (pod, job or strip name).
    RowLabel,
    /// A tick label on an axis.
    Tick,
    /// An axis title.
    AxisTitle,
    /// A legend entry.
    Legend,
    /// A panel heading in the compare figure.
    Panel,
}

/// What a rectangle is.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum RectRole {
    /// Background band or frame.
    Background,
    /// A state bar in row `row` (index into the plotted rows of its panel).
    Bar {
        /// Panel index (0 for single charts).
        panel: usize,
        /// Row index within the panel.
        row: usize,
    },
    /// A legend swatch.
    Swatch,
}

/// What a line is.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum LineRole {
    /// Grid, axis or frame line.
    Axis,
    /// One dash of a schedule slot line; `slot` counts slot lines in the scene.
    SlotDash {
        /// Index of the slot line this dash belongs to.
        slot: usize,
    },
    /// A data line (load totals).
    Data,
    /// Part of a marker glyph or legend symbol.
    Glyph,
}

/// One drawable.
#[derive(Clone, Debug, PartialEq)]
pub enum Item {
    /// Filled rectangle, corners inclusive-exclusive.
    Rect {
        /// Left.
        x0: i32,
        /// Top.
        y0: i32,
        /// Right.
        x1: i32,
        /// Bottom.
        y1: i32,
        /// Fill colour.
        fill: Rgb,
        /// What it is.
        role: RectRole,
        /// What it shows (the state, for bars).
        state: Option<crate::output::timeline::PodState>,
    },
    /// Polyline.
    Line {
        /// Points.
        pts: Vec<(i32, i32)>,
        /// Colour.
        color: Rgb,
        /// Stroke width.
        width: u32,
        /// What it is.
        role: LineRole,
    },
    /// Filled polygon (marker glyphs, stacked areas).
    Poly {
        /// Corners.
        pts: Vec<(i32, i32)>,
        /// Fill colour.
        fill: Rgb,
        /// Marker kind, when this is a marker glyph in the plot (not the legend).
        marker: Option<super::MarkerKind>,
    },
    /// Text, vertically centred on `y`.
    Text {
        /// Anchor x.
        x: i32,
        /// Vertical centre.
        y: i32,
        /// The text.
        text: String,
        /// Font size in px (plotters' size: about the line height).
        size: f64,
        /// Bold face.
        bold: bool,
        /// Colour.
        color: Rgb,
        /// Horizontal anchor.
        anchor: Anchor,
        /// Measured width.
        w: i32,
        /// What it is.
        role: TextRole,
    },
}

/// An axis-aligned box `(x0, y0, x1, y1)`.
pub type BBox = (i32, i32, i32, i32);

impl Item {
    /// The box a text item occupies (its measured width and font size as height).
    pub fn text_box(&self) -> Option<BBox> {
        match self {
            Item::Text {
                x,
                y,
                size,
                anchor,
                w,
                ..
            } => {
                let x0 = match anchor {
                    Anchor::Left => *x,
                    Anchor::Center => x - w / 2,
                    Anchor::Right => x - w,
                };
                let h = (*size * 0.5).ceil() as i32;
                Some((x0, y - h, x0 + w, y + h))
            }
            _ => None,
        }
    }
}

/// Whether two boxes share interior area.
pub fn overlaps(a: BBox, b: BBox) -> bool {
    a.0 < b.2 && b.0 < a.2 && a.1 < b.3 && b.1 < a.3
}

/// How a text is set: its size in px, weight and colour.
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct TextSpec {
    /// Size in px.
    pub size: f64,
    /// Bold weight.
    pub bold: bool,
    /// Colour.
    pub color: Rgb,
}

impl TextSpec {
    /// Regular weight.
    pub fn regular(size: f64, color: Rgb) -> TextSpec {
        TextSpec {
            size,
            bold: false,
            color,
        }
    }

    /// Bold weight.
    pub fn bold(size: f64, color: Rgb) -> TextSpec {
        TextSpec {
            size,
            bold: true,
            color,
        }
    }
}

/// A laid-out picture.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Scene {
    /// Width in px.
    pub width: u32,
    /// Height in px.
    pub height: u32,
    /// Drawables, back to front.
    pub items: Vec<Item>,
}

impl Scene {
    /// Adds a text item, measuring it.
    pub fn text(
        &mut self,
        x: i32,
        y: i32,
        text: &str,
        font: TextSpec,
        anchor: Anchor,
        role: TextRole,
    ) -> Result<i32, ChartError> {
        let TextSpec { size, bold, color } = font;
        let w = text_width(text, size, bold)?;
        self.items.push(Item::Text {
            x,
            y,
            text: text.to_string(),
            size,
            bold,
            color,
            anchor,
            w,
            role,
        });
        Ok(w)
    }

    /// Adds a filled rectangle.
    pub fn rect(&mut self, b: BBox, fill: Rgb, role: RectRole) {
        self.items.push(Item::Rect {
            x0: b.0,
            y0: b.1,
            x1: b.2,
            y1: b.3,
            fill,
            role,
            state: None,
        });
    }

    /// Adds a polyline.
    pub fn line(&mut self, pts: Vec<(i32, i32)>, color: Rgb, width: u32, role: LineRole) {
        self.items.push(Item::Line {
            pts,
            color,
            width,
            role,
        });
    }

    /// Adds a vertical dashed line from `y0` to `y1` at `x`, as separate dashes.
    pub fn dashed_vline(&mut self, x: i32, y0: i32, y1: i32, color: Rgb, slot: usize) {
        let (dash, gap) = (5, 4);
        let mut y = y0;
        while y < y1 {
            let e = (y + dash).min(y1);
            self.line(vec![(x, y), (x, e)], color, 1, LineRole::SlotDash { slot });
            y += dash + gap;
        }
    }

    /// Text items of one role.
    pub fn texts(&self, role: TextRole) -> impl Iterator<Item = &Item> {
        self.items
            .iter()
            .filter(move |i| matches!(i, Item::Text { role: r, .. } if *r == role))
    }
}

fn rgb(c: Rgb) -> RGBColor {
    RGBColor(c.0, c.1, c.2)
}

fn draw_err<E: std::fmt::Debug>(e: E) -> ChartError {
    ChartError::Draw(format!("{e:?}"))
}

fn paint<DB: DrawingBackend>(
    scene: &Scene,
    area: &DrawingArea<DB, Shift>,
    with_text: bool,
) -> Result<(), ChartError> {
    area.fill(&RGBColor(255, 255, 255)).map_err(draw_err)?;
    for item in &scene.items {
        match item {
            Item::Rect {
                x0,
                y0,
                x1,
                y1,
                fill,
                ..
            } => {
                if x1 > x0 && y1 > y0 {
                    area.draw(&Rectangle::new(
                        // Both backends fill [x0, x1) × [y0, y1): SVG as width = x1 − x0,
                        // the bitmap's fast path exclusive of the bottom-right corner.
                        [(*x0, *y0), (*x1, *y1)],
                        rgb(*fill).filled(),
                    ))
                    .map_err(draw_err)?;
                }
            }
            Item::Line {
                pts, color, width, ..
            } => {
                area.draw(&PathElement::new(
                    pts.clone(),
                    rgb(*color).stroke_width(*width),
                ))
                .map_err(draw_err)?;
            }
            Item::Poly { pts, fill, .. } => {
                area.draw(&Polygon::new(pts.clone(), rgb(*fill).filled()))
                    .map_err(draw_err)?;
            }
            Item::Text { .. } if !with_text => {}
            Item::Text {
                x,
                y,
                text,
                size,
                bold,
                color,
                anchor,
                ..
            } => {
                let h = match anchor {
                    Anchor::Left => HPos::Left,
                    Anchor::Center => HPos::Center,
                    Anchor::Right => HPos::Right,
                };
                let c = rgb(*color);
                let style = TextStyle::from(font(*size, *bold))
                    .color(&c)
                    .pos(Pos::new(h, VPos::Center));
                area.draw(&Text::new(text.clone(), (*x, *y), style))
                    .map_err(draw_err)?;
            }
        }
    }
    area.present().map_err(draw_err)
}

/// Paints a scene as an SVG document.
pub fn to_svg(scene: &Scene) -> Result<String, ChartError> {
    ensure_font()?;
    let mut out = String::new();
    {
        let area =
            SVGBackend::with_string(&mut out, (scene.width, scene.height)).into_drawing_area();
        paint(scene, &area, true)?;
    }
    Ok(out)
}

/// Paints a scene as a PNG image (8-bit RGB, deterministic encoder settings).
pub fn to_png(scene: &Scene) -> Result<Vec<u8>, ChartError> {
    ensure_font()?;
    let (w, h) = (scene.width, scene.height);
    let mut buf = vec![255u8; w as usize * h as usize * 3];
    {
        let area = BitMapBackend::with_buffer(&mut buf, (w, h)).into_drawing_area();
        paint(scene, &area, false)?;
    }
    for item in &scene.items {
        if let Item::Text {
            x,
            y,
            text,
            size,
            bold,
            color,
            anchor,
            ..
        } = item
        {
            raster_text(
                &mut buf,
                (w, h),
                text,
                (*x, *y),
                TextSpec {
                    size: *size,
                    bold: *bold,
                    color: *color,
                },
                *anchor,
            )?;
        }
    }
    let mut png_bytes = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut png_bytes, w, h);
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        enc.set_compression(png::Compression::Default);
        let mut writer = enc
            .write_header()
            .map_err(|e| ChartError::Encode(e.to_string()))?;
        writer
            .write_image_data(&buf)
            .map_err(|e| ChartError::Encode(e.to_string()))?;
        writer
            .finish()
            .map_err(|e| ChartError::Encode(e.to_string()))?;
    }
    Ok(png_bytes)
}
