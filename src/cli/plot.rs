//! `qmlc train --plot OUT.svg`: the training history as a chart (plotters, SVG backend): the loss
//! per epoch on top, training and test, and below it the accuracy, for classification losses.
//!
//! Epochs are counted across blocks, so a file with two train blocks shows one continuous run,
//! with a dashed line where the second block starts. A block that trains an objective
//! (`minimize`/`maximize`) has no loss: its values are drawn as their own `objective` series, and
//! a run of objectives only labels its axis `objective`.

use plotters::coord::ranged1d::ValueFormatter;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use qmlc::train::EpochReport;

/// The picture's size in pixels (SVG user units).
pub const WIDTH: u32 = 800;
pub const HEIGHT: u32 = 600;

const TRAIN_COLOUR: RGBColor = RGBColor(31, 119, 180);
const TEST_COLOUR: RGBColor = RGBColor(255, 127, 14);
const OBJECTIVE_COLOUR: RGBColor = RGBColor(44, 160, 44);

/// One epoch of a training run, as `--history` and `--plot` record it.
#[derive(Clone, Debug)]
pub struct HistoryEntry {
    /// The train block's name (its 1-based index when it has none).
    pub block: String,
    /// Whether the block trains an objective, so `report.train_loss` holds the objective's value.
    pub objective: bool,
    pub report: EpochReport,
}

/// A line of a panel: its legend's name, its points (epoch, value) and its colour.
type Series<'a> = (&'a str, &'a Vec<(f64, f64)>, RGBColor);

/// The chart of `history` as SVG text.
pub fn chart(title: &str, history: &[HistoryEntry]) -> Result<String, String> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        draw(&root, title, history).map_err(|error| format!("the chart could not be drawn: {error}"))?;
        root.present().map_err(|error| format!("the chart could not be drawn: {error}"))?;
    }
    Ok(svg)
}

type Area<'a> = DrawingArea<SVGBackend<'a>, plotters::coord::Shift>;

/// The label of the values' axis: what the run's values are.
fn value_label(history: &[HistoryEntry]) -> &'static str {
    let objectives = history.iter().filter(|entry| entry.objective).count();
    if objectives == 0 {
        "loss"
    } else if objectives == history.len() {
        "objective"
    } else {
        "loss, objective"
    }
}

fn draw(root: &Area, title: &str, history: &[HistoryEntry]) -> Result<(), Box<dyn std::error::Error>> {
    root.fill(&WHITE)?;
    let root = root.titled(title, ("sans-serif", 24))?;
    let has_accuracy = history.iter().any(|entry| entry.report.train_accuracy.is_some());
    let (loss_area, accuracy_area) = if has_accuracy {
        let (top, bottom) = root.split_vertically(HEIGHT as i32 * 11 / 20);
        (top, Some(bottom))
    } else {
        (root.clone(), None)
    };
    let epochs = history.len().max(1) as f64;
    // Where each block after the first starts, as a global epoch number.
    let block_starts: Vec<f64> = history
        .windows(2)
        .enumerate()
        .filter(|(_, pair)| pair[0].block != pair[1].block)
        .map(|(index, _)| index as f64 + 1.5)
        .collect();

    let points = |keep: &dyn Fn(&HistoryEntry) -> Option<f64>| -> Vec<(f64, f64)> {
        history.iter().enumerate().filter_map(|(index, entry)| keep(entry).map(|y| (index as f64 + 1.0, y))).collect()
    };
    let train_loss = points(&|entry| (!entry.objective).then_some(entry.report.train_loss));
    let test_loss = points(&|entry| entry.report.test_loss);
    let objective = points(&|entry| entry.objective.then_some(entry.report.train_loss));
    let losses =
        train_loss.iter().chain(&test_loss).chain(&objective).map(|(_, loss)| *loss).filter(|loss| loss.is_finite());
    let (low, high) =
        losses.fold((f64::INFINITY, f64::NEG_INFINITY), |(low, high), loss| (low.min(loss), high.max(loss)));
    let (low, high) = if low.is_finite() { (low, high) } else { (0.0, 1.0) };
    let margin = ((high - low) * 0.05).max(1e-9);
    let loss_range = (low - margin).min(0.0f64.max(low - margin))..(high + margin);
    let loss_series = [
        ("train", &train_loss, TRAIN_COLOUR),
        ("test", &test_loss, TEST_COLOUR),
        ("objective", &objective, OBJECTIVE_COLOUR),
    ];
    panel(
        &loss_area,
        value_label(history),
        1.0..epochs.max(2.0),
        loss_range,
        &loss_series,
        &block_starts,
        SeriesLabelPosition::UpperRight,
    )?;

    if let Some(accuracy_area) = accuracy_area {
        let train = points(&|entry| entry.report.train_accuracy);
        let test = points(&|entry| entry.report.test_accuracy);
        // Accuracy rises, so its legend goes where the lines are not: at the bottom.
        let accuracy_series = [("train", &train, TRAIN_COLOUR), ("test", &test, TEST_COLOUR)];
        let legend = SeriesLabelPosition::LowerRight;
        panel(&accuracy_area, "accuracy", 1.0..epochs.max(2.0), 0.0..1.0, &accuracy_series, &block_starts, legend)?;
    }
    Ok(())
}

/// One panel: a line per series, a legend, and the block boundaries.
fn panel(
    area: &Area,
    y_label: &str,
    x_range: std::ops::Range<f64>,
    y_range: std::ops::Range<f64>,
    series: &[Series<'_>],
    block_starts: &[f64],
    legend: SeriesLabelPosition,
) -> Result<(), Box<dyn std::error::Error>> {
    let mut chart = ChartBuilder::on(area)
        .margin(12)
        .x_label_area_size(36)
        .y_label_area_size(56)
        .build_cartesian_2d(x_range.clone(), y_range.clone())?;
    chart
        .configure_mesh()
        .x_desc("epoch")
        .y_desc(y_label)
        // Epochs are whole numbers: at most one tick per epoch, and a tick between two epochs
        // (plotters' choice on a short run) stays unlabelled rather than repeating its neighbour.
        .x_labels(((x_range.end - x_range.start).round() as usize + 1).clamp(2, 10))
        .x_label_formatter(&|x| if (x - x.round()).abs() < 1e-9 { format!("{x:.0}") } else { String::new() })
        .y_label_formatter(&|y| {
            // A tick at zero lands a rounding error away from it (−2.8e-17), which prints `-0.0`.
            let zero = (y_range.end - y_range.start).abs() * 1e-9;
            <RangedCoordf64 as ValueFormatter<f64>>::format(if y.abs() < zero { &0.0 } else { y })
        })
        .axis_desc_style(("sans-serif", 16))
        .label_style(("sans-serif", 13))
        .light_line_style(WHITE)
        .bold_line_style(RGBColor(225, 225, 225))
        .draw()?;
    for &start in block_starts {
        let dashes = DashedLineSeries::new(
            vec![(start, y_range.start), (start, y_range.end)],
            6,
            4,
            ShapeStyle::from(&RGBColor(150, 150, 150)).stroke_width(1),
        );
        chart.draw_series(dashes)?;
    }
    for &(name, points, colour) in series {
        if points.is_empty() {
            continue;
        }
        chart
            .draw_series(LineSeries::new(points.iter().copied(), colour.stroke_width(2)))?
            .label(name)
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], colour.stroke_width(2)));
    }
    chart
        .configure_series_labels()
        .position(legend)
        .background_style(WHITE.mix(0.85))
        .border_style(RGBColor(200, 200, 200))
        .label_font(("sans-serif", 14))
        .draw()?;
    Ok(())
}
