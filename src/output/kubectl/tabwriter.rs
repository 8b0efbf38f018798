//! A port of the elastic-tabstop writer kubectl prints tables with: `github.com/liggitt/tabwriter`
//! (a fork of Go's `text/tabwriter` that adds `RememberWidths`), configured as
//! `cli-runtime/pkg/printers/tabwriter.go` does: minwidth 6, tabwidth 4, padding 3, padchar ' ',
//! flags `RememberWidths`.
//!
//! Only `\t` (cell terminator) and `\n` (line break) are interpreted; kubectl's table cells never
//! contain `\v`, `\f` or escape bytes. Widths count Unicode scalar values, like `utf8.RuneCount`.

/// kubectl's `tabwriterMinWidth`.
pub const KUBECTL_MIN_WIDTH: usize = 6;
/// kubectl's `tabwriterPadding`.
pub const KUBECTL_PADDING: usize = 3;

/// One tab- or newline-terminated segment of text.
#[derive(Debug)]
struct Cell {
    text: String,
    width: usize,
}

/// A tabwriter whose [`TabWriter::flush`] formats one batch of text, like Go's `Write` + `Flush`.
#[derive(Clone, Debug)]
pub struct TabWriter {
    minwidth: usize,
    padding: usize,
    remember_widths: bool,
    /// Widest width seen per column across flushes (only with `remember_widths`).
    maxwidths: Vec<usize>,
}

impl Default for TabWriter {
    fn default() -> Self {
        TabWriter::kubectl()
    }
}

impl TabWriter {
    /// A writer with kubectl's settings (`printers.GetNewTabWriter`).
    pub fn kubectl() -> TabWriter {
        TabWriter::new(KUBECTL_MIN_WIDTH, KUBECTL_PADDING, true)
    }

    /// A space-padded, left-aligned writer with the given minimal cell width and padding.
    pub fn new(minwidth: usize, padding: usize, remember_widths: bool) -> TabWriter {
        TabWriter {
            minwidth,
            padding,
            remember_widths,
            maxwidths: Vec::new(),
        }
    }

    /// The remembered per-column maximum widths (`RememberedWidths`).
    pub fn remembered_widths(&self) -> Vec<usize> {
        self.maxwidths.clone()
    }

    /// Replaces the remembered widths (`SetRememberedWidths`).
    pub fn set_remembered_widths(&mut self, widths: &[usize]) {
        self.maxwidths = widths.to_vec();
    }

    /// Formats `text` as one `Write` followed by `Flush` and returns the output bytes.
    pub fn flush(&mut self, text: &str) -> String {
        let lines = split_cells(text);
        let mut out = String::with_capacity(text.len() * 2);
        let mut widths = Vec::new();
        self.format(&mut out, &lines, &mut widths, 0, lines.len());
        out
    }

    /// Go's `format`: finds blocks of consecutive lines that have a cell in column
    /// `widths.len()`, sizes that column, and recurses into the columns to its right.
    fn format(
        &mut self,
        out: &mut String,
        lines: &[Vec<Cell>],
        widths: &mut Vec<usize>,
        line0: usize,
        line1: usize,
    ) {
        let column = widths.len();
        let mut line0 = line0;
        let mut this = line0;
        while this < line1 {
            // The last cell of a line is not tab-terminated and belongs to no column.
            if column + 1 >= lines[this].len() {
                this += 1;
                continue;
            }
            write_lines(out, lines, widths, line0, this);
            line0 = this;

            let mut width = self.minwidth;
            while this < line1 {
                let line = &lines[this];
                if column + 1 >= line.len() {
                    break;
                }
                width = width.max(line[column].width + self.padding);
                this += 1;
            }

            if self.remember_widths {
                if self.maxwidths.len() < widths.len() {
                    let from = self.maxwidths.len();
                    self.maxwidths.extend_from_slice(&widths[from..]);
                }
                if self.maxwidths.len() == widths.len() {
                    self.maxwidths.push(width);
                } else if self.maxwidths[column] > width {
                    width = self.maxwidths[column];
                } else {
                    self.maxwidths[column] = width;
                }
            }

            widths.push(width);
            self.format(out, lines, widths, line0, this);
            widths.pop();
            line0 = this;
        }
        write_lines(out, lines, widths, line0, line1);
    }
}

/// Splits text into lines of cells the way Go's `Write` + `Flush` does: a newline terminates the
/// line's last cell even when empty, while trailing text after the last newline only forms a
/// cell when it is non-empty.
fn split_cells(text: &str) -> Vec<Vec<Cell>> {
    let segments: Vec<&str> = text.split('\n').collect();
    let last = segments.len() - 1;
    segments
        .iter()
        .enumerate()
        .map(|(i, segment)| {
            let mut parts: Vec<&str> = segment.split('\t').collect();
            if i == last && parts.last().is_some_and(|p| p.is_empty()) {
                parts.pop();
            }
            parts
                .into_iter()
                .map(|p| Cell {
                    text: p.to_string(),
                    width: p.chars().count(),
                })
                .collect()
        })
        .collect()
}

/// Go's `writeLines` for left alignment with a non-tab pad character: every cell in a sized
/// column is padded (empty ones too), the trailing cell never is, and the last buffered line
/// gets no newline.
fn write_lines(
    out: &mut String,
    lines: &[Vec<Cell>],
    widths: &[usize],
    line0: usize,
    line1: usize,
) {
    for (i, line) in lines.iter().enumerate().take(line1).skip(line0) {
        for (j, cell) in line.iter().enumerate() {
            out.push_str(&cell.text);
            if let Some(w) = widths.get(j) {
                out.extend(std::iter::repeat_n(' ', w.saturating_sub(cell.width)));
            }
        }
        if i + 1 != lines.len() {
            out.push('\n');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Space-padded rows of Go's tabwriter `tests` table (`'.'`/`'-'`/`'_'` pad characters
    /// mapped to spaces, since kubectl pads with spaces).
    #[test]
    fn go_tabwriter_table_rows() {
        let dots = |s: &str| s.replace(['.', '-', '_'], " ");
        let rows: &[(&str, usize, usize, &str, &str)] = &[
            ("1a", 8, 1, "", ""),
            ("2", 8, 1, "\n\n\n", "\n\n\n"),
            ("3", 8, 1, "a\nb\nc", "a\nb\nc"),
            ("4a", 8, 1, "\t", ""),
            ("5", 8, 1, "*\t*", "*.......*"),
            ("5b", 8, 1, "*\t*\n", "*.......*\n"),
            ("5c", 8, 1, "*\t*\t", "*.......*"),
            ("6", 8, 1, "\t\n", "........\n"),
            ("7a", 8, 1, "a) foo", "a) foo"),
            ("7b", 8, 1, "b) foo\tbar", "b) foo  bar"),
            ("7c", 8, 1, "c) foo\tbar\t", "c) foo..bar"),
            ("7d", 8, 1, "d) foo\tbar\n", "d) foo..bar\n"),
            ("7e", 8, 1, "e) foo\tbar\t\n", "e) foo..bar.....\n"),
            ("8", 8, 1, "Hello, world!\n", "Hello, world!\n"),
            (
                "9a",
                1,
                0,
                "1\t2\t3\t4\n11\t222\t3333\t44444\n",
                "1.2..3...4\n11222333344444\n",
            ),
            ("10a", 5, 0, "1\t2\t3\t4\n", "1....2....3....4\n"),
            ("10b", 5, 0, "1\t2\t3\t4\t\n", "1....2....3....4....\n"),
            (
                "11",
                8,
                1,
                "本\tb\tc\naa\t本本本\tcccc\tddddd\naaa\tbbbb\n",
                "本.......b.......c\naa......本本本.....cccc....ddddd\naaa.....bbbb\n",
            ),
            (
                "12b",
                2,
                0,
                "a\tb\tc\naa\tbbb\tcccc\naaa\tbbbb\n",
                "a  b  c\naa bbbcccc\naaabbbb\n",
            ),
            (
                "12c",
                8,
                1,
                "a\tb\tc\naa\tbbb\tcccc\naaa\tbbbb\n",
                "a_______b_______c\naa______bbb_____cccc\naaa_____bbbb\n",
            ),
            (
                "13a",
                4,
                1,
                "4444\t日本語\t22\t1\t333\n999999999\t22\n7\t22\n\t\t\t88888888\n\n666666\t666666\t666666\t4444\n1\t1\t999999999\t0000000000\n",
                "4444------日本語-22--1---333\n999999999-22\n7---------22\n------------------88888888\n\n666666-666666-666666----4444\n1------1------999999999-0000000000\n",
            ),
            (
                "13b",
                4,
                3,
                "4444\t333\t22\t1\t333\n999999999\t22\n7\t22\n\t\t\t88888888\n\n666666\t666666\t666666\t4444\n1\t1\t999999999\t0000000000\n",
                "4444........333...22...1...333\n999999999...22\n7...........22\n....................88888888\n\n666666...666666...666666......4444\n1........1........999999999...0000000000\n",
            ),
            ("15a", 4, 0, "a\t\tb", "a.......b"),
        ];
        for (name, minwidth, padding, src, want) in rows {
            let mut w = TabWriter::new(*minwidth, *padding, false);
            assert_eq!(w.flush(src), dots(want), "case {name}");
        }
    }

    /// liggitt/tabwriter `TestMultiWrite`, which uses exactly kubectl's settings.
    #[test]
    fn remember_widths_multi_write() {
        let mut w = TabWriter::kubectl();
        let mut out = w.flush("First\tMiddle\tLast\na\tbb\tccc\nddd\teeeeeeeeeeeeee\tf\n");
        assert_eq!(
            out,
            "First   Middle           Last\n\
             a       bb               ccc\n\
             ddd     eeeeeeeeeeeeee   f\n"
        );
        out += &w.flush("g\th\ti\n");
        out += &w.flush("j\t\t\n");
        out += &w.flush("\tk\t\n");
        out += &w.flush("\t\tl\n");
        out += &w.flush("mmmmmmmmmmmmmmm\tnnn\tooo\n");
        assert_eq!(
            out,
            "First   Middle           Last\n\
             a       bb               ccc\n\
             ddd     eeeeeeeeeeeeee   f\n\
             g       h                i\n\
             j                        \n        k                \n                         l\n\
             mmmmmmmmmmmmmmm   nnn              ooo\n"
        );
        let mut w2 = TabWriter::kubectl();
        w2.set_remembered_widths(&w.remembered_widths());
        assert_eq!(
            w2.flush("p\tq\tr\n"),
            "p                 q                r\n"
        );
        assert_eq!(w2.remembered_widths(), vec![18, 17]);
        w2.set_remembered_widths(&[]);
        assert_eq!(w2.flush("sssss\tt\tu\n"), "sssss   t     u\n");
        assert_eq!(w2.remembered_widths(), vec![8, 6]);
        w2.set_remembered_widths(&[10, 5, 5]);
        assert_eq!(w2.flush("v\tw\tx\n"), "v         w     x\n");
    }
}
