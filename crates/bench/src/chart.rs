//! The chart of `docs/bench.md`: each row's median hot-call latency as a
//! ratio to the native Rust formatter, one bar per row and document, on a
//! log scale, drawn as SVG with plotters.

use std::path::Path;

use plotters::{
    coord::ranged1d::SegmentValue,
    prelude::*,
    style::text_anchor::{HPos, Pos, VPos},
};

use crate::record::Row;

/// One bar: a row on a document and its ratio.
struct Bar {
    label: String,
    ratio: f64,
    small: bool,
}

/// Draws the chart of `rows` into an SVG file at `path`.
///
/// # Errors
/// When there is nothing to draw, or the file cannot be written.
pub fn draw(rows: &[Row], path: &Path) -> anyhow::Result<()> {
    let bars: Vec<Bar> = rows
        .iter()
        .filter(|row| row.measured())
        .flat_map(|row| {
            row.hot.iter().filter_map(|hot| {
                Some(Bar {
                    label: if hot.function == "format" {
                        format!("{} {}", row.name, hot.document)
                    } else {
                        format!("{} {} {}", row.name, hot.function, hot.document)
                    },
                    ratio: hot.ratio_to_native_rust?,
                    small: hot.bytes < 64 * 1024,
                })
            })
        })
        .collect();
    anyhow::ensure!(!bars.is_empty(), "no latency ratios to draw");
    // Segment 0 is at the bottom; the table's first row goes on top.
    let bars: Vec<Bar> = bars.into_iter().rev().collect();
    let smallest = bars.iter().map(|bar| bar.ratio).fold(1.0_f64, f64::min);
    let largest = bars.iter().map(|bar| bar.ratio).fold(1.5_f64, f64::max);
    // Whole powers of ten, with room for the labels at the bars' ends.
    let x_min = 10_f64.powf((smallest * 0.8).log10().floor());
    let x_max = 10_f64.powf((largest * 4.0).log10().ceil());
    let height = 90 + 22 * bars.len() as u32;

    let root = SVGBackend::new(path, (960, height)).into_drawing_area();
    root.fill(&WHITE).map_err(plot_error)?;
    let mut chart = ChartBuilder::on(&root)
        .caption(
            "hot-call latency ÷ native Rust making the same call (median, log scale)",
            ("sans-serif", 18),
        )
        .margin(12)
        .x_label_area_size(36)
        .y_label_area_size(230)
        .build_cartesian_2d((x_min..x_max).log_scale(), (0..bars.len()).into_segmented())
        .map_err(plot_error)?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .y_labels(bars.len())
        .y_label_formatter(&|value| match value {
            SegmentValue::CenterOf(index) => bars
                .get(*index)
                .map_or_else(String::new, |bar| bar.label.clone()),
            _ => String::new(),
        })
        .x_label_formatter(&|ratio| format!("{ratio}×"))
        .x_desc("ratio to native Rust; the dashed line is the 1.5× target of rust::wasmtime")
        .label_style(("sans-serif", 13))
        .draw()
        .map_err(plot_error)?;

    let small_color = RGBColor(70, 130, 180);
    let large_color = RGBColor(230, 140, 50);
    chart
        .draw_series(bars.iter().enumerate().map(|(index, bar)| {
            let color = if bar.small { small_color } else { large_color };
            let mut rectangle = Rectangle::new(
                [
                    (x_min, SegmentValue::Exact(index)),
                    (bar.ratio, SegmentValue::Exact(index + 1)),
                ],
                color.filled(),
            );
            rectangle.set_margin(3, 3, 0, 0);
            rectangle
        }))
        .map_err(plot_error)?;
    chart
        .draw_series(bars.iter().enumerate().map(|(index, bar)| {
            Text::new(
                format!(" {:.2}×", bar.ratio),
                (bar.ratio, SegmentValue::CenterOf(index)),
                TextStyle::from(("sans-serif", 12).into_font())
                    .pos(Pos::new(HPos::Left, VPos::Center)),
            )
        }))
        .map_err(plot_error)?;
    for (ratio, style) in [(1.0, BLACK.stroke_width(1)), (1.5, RED.stroke_width(1))] {
        let line = if ratio == 1.0 {
            vec![
                (ratio, SegmentValue::Exact(0)),
                (ratio, SegmentValue::Exact(bars.len())),
            ]
        } else {
            dashed(ratio, bars.len())
        };
        for segment in line.chunks(2) {
            chart
                .draw_series(std::iter::once(PathElement::new(segment.to_vec(), style)))
                .map_err(plot_error)?;
        }
    }
    root.present().map_err(plot_error)?;
    Ok(())
}

/// A vertical dashed line at `ratio`, as pairs of points, one dash per bar.
fn dashed(ratio: f64, n_bars: usize) -> Vec<(f64, SegmentValue<usize>)> {
    (0..n_bars)
        .flat_map(|index| {
            [
                (ratio, SegmentValue::Exact(index)),
                (ratio, SegmentValue::CenterOf(index)),
            ]
        })
        .collect()
}

fn plot_error<E: std::fmt::Display>(error: E) -> anyhow::Error {
    anyhow::anyhow!("drawing the chart: {error}")
}
