using System.Globalization;
using System.Net;
using System.Text;
using Graft.Metrics;
using Graft.Saving;

namespace Graft.Reporting;

/// <summary>
/// A single self-contained HTML file (inline SVG and data-URI images, no external assets) with five parts:
/// training curves (loss, accuracy, learning rate), the confusion matrix as a heat map, per-class metrics,
/// a grid of misclassified validation images, and the run's settings.
/// </summary>
public sealed class HtmlReport
{
    public string Title { get; init; } = "Graft training report";
    public IReadOnlyList<EpochRecord> History { get; init; } = Array.Empty<EpochRecord>();
    public ConfusionMatrix? Confusion { get; init; }
    public IReadOnlyList<Misclassified> Misclassified { get; init; } = Array.Empty<Misclassified>();
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();
    /// <summary>Free-text notes (e.g. why a strategy was chosen, a fine-tune rolled back).</summary>
    public IReadOnlyList<string> Notes { get; init; } = Array.Empty<string>();

    public void Save(string path) => AtomicFile.WriteAllText(path, Render());

    public string Render()
    {
        var h = new StringBuilder();
        h.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>").Append(E(Title)).Append("</title><style>")
         .Append("body{font-family:system-ui,sans-serif;margin:24px;color:#222;background:#fff}h1{font-size:22px}h2{font-size:17px;margin-top:28px;border-bottom:1px solid #ddd}")
         .Append("table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right;font-size:13px}th{background:#f3f3f3}")
         .Append(".grid{display:flex;flex-wrap:wrap;gap:10px}.card{width:120px;font-size:11px;text-align:center;overflow-wrap:anywhere}.card img{width:112px;height:112px;image-rendering:pixelated;border:2px solid #c33}")
         .Append(".charts{display:flex;flex-wrap:wrap;gap:16px}</style></head><body>");
        h.Append("<h1>").Append(E(Title)).Append("</h1>");
        foreach (var n in Notes) h.Append("<p>").Append(E(n)).Append("</p>");

        h.Append("<section id=\"curves\"><h2>Training curves</h2><div class=\"charts\">");
        h.Append(LineChart("Loss", ("train", History.Select(r => (double?)r.Loss)), ("validation", History.Select(r => r.ValLoss))));
        h.Append(LineChart("Accuracy", ("train", History.Select(r => (double?)r.Accuracy)), ("validation", History.Select(r => r.ValAccuracy))));
        h.Append(LineChart("Learning rate", ("lr", History.Select(r => (double?)r.LearningRate))));
        h.Append("</div></section>");

        if (Confusion is not null)
        {
            h.Append("<section id=\"confusion\"><h2>Confusion matrix (rows: true class, columns: predicted)</h2>").Append(HeatMap(Confusion)).Append("</section>");
            h.Append("<section id=\"per-class\"><h2>Per-class metrics</h2><table><tr><th>class</th><th>precision</th><th>recall</th><th>F1</th><th>support</th></tr>");
            foreach (var m in Confusion.PerClass())
                h.Append(CultureInfo.InvariantCulture, $"<tr><td style=\"text-align:left\">{E(m.ClassName)}</td><td>{m.Precision:F3}</td><td>{m.Recall:F3}</td><td>{m.F1:F3}</td><td>{m.Support}</td></tr>");
            h.Append(CultureInfo.InvariantCulture, $"<tr><th style=\"text-align:left\">accuracy</th><td colspan=\"4\">{Confusion.Accuracy:P2} of {Confusion.Total}</td></tr></table></section>");
        }

        h.Append("<section id=\"misclassified\"><h2>Misclassified validation images</h2>");
        if (Misclassified.Count == 0) h.Append("<p>None.</p>");
        h.Append("<div class=\"grid\">");
        foreach (var m in Misclassified)
        {
            h.Append("<div class=\"card\">");
            if (m.Png is not null) h.Append("<img alt=\"").Append(E(Path.GetFileName(m.Path))).Append("\" src=\"data:image/png;base64,").Append(Convert.ToBase64String(m.Png)).Append("\">");
            h.Append(CultureInfo.InvariantCulture, $"<div>true: <b>{E(m.TrueClass)}</b><br>predicted: <b>{E(m.PredictedClass)}</b> ({m.Confidence:P0})<br>{E(Path.GetFileName(m.Path))}</div></div>");
        }
        h.Append("</div></section>");

        h.Append("<section id=\"settings\"><h2>Settings</h2><table>");
        foreach (var (k, v) in Settings) h.Append("<tr><th style=\"text-align:left\">").Append(E(k)).Append("</th><td style=\"text-align:left\">").Append(E(v)).Append("</td></tr>");
        h.Append("</table></section></body></html>");
        return h.ToString();
    }

    private static string E(string s) => WebUtility.HtmlEncode(s);

    private static readonly string[] s_colours = { "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728" };

    private static string LineChart(string title, params (string Name, IEnumerable<double?> Values)[] series)
    {
        const int w = 420, hgt = 240, left = 56, right = 12, top = 26, bottom = 34;
        var data = series.Select(s => (s.Name, Values: s.Values.ToArray())).Where(s => s.Values.Any(v => v.HasValue && double.IsFinite(v.Value))).ToArray();
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"<svg class=\"chart\" width=\"{w}\" height=\"{hgt}\" viewBox=\"0 0 {w} {hgt}\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"{E(title)}\">");
        sb.Append(CultureInfo.InvariantCulture, $"<rect x=\"0\" y=\"0\" width=\"{w}\" height=\"{hgt}\" fill=\"#fafafa\" stroke=\"#ddd\"/><text x=\"{w / 2}\" y=\"17\" text-anchor=\"middle\" font-size=\"13\">{E(title)}</text>");
        if (data.Length == 0) return sb.Append("<text x=\"50%\" y=\"50%\" text-anchor=\"middle\" font-size=\"12\">no data</text></svg>").ToString();
        var all = data.SelectMany(s => s.Values).Where(v => v.HasValue && double.IsFinite(v.Value)).Select(v => v!.Value).ToArray();
        double lo = all.Min(), hi = all.Max();
        if (hi - lo < 1e-12) { lo -= 0.5; hi += 0.5; }
        int count = data.Max(s => s.Values.Length);
        double X(int i) => left + (count <= 1 ? 0.5 : i / (double)(count - 1)) * (w - left - right);
        double Y(double v) => top + (1 - (v - lo) / (hi - lo)) * (hgt - top - bottom);
        for (int t = 0; t <= 4; t++)
        {
            double v = lo + (hi - lo) * t / 4;
            sb.Append(CultureInfo.InvariantCulture, $"<line x1=\"{left}\" x2=\"{w - right}\" y1=\"{Y(v):F1}\" y2=\"{Y(v):F1}\" stroke=\"#e5e5e5\"/><text x=\"{left - 4}\" y=\"{Y(v) + 4:F1}\" text-anchor=\"end\" font-size=\"10\">{v:G3}</text>");
        }
        sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{(left + w - right) / 2}\" y=\"{hgt - 6}\" text-anchor=\"middle\" font-size=\"11\">epoch (1–{count})</text>");
        for (int s = 0; s < data.Length; s++)
        {
            var pts = data[s].Values.Select((v, i) => (v, i)).Where(p => p.v.HasValue && double.IsFinite(p.v.Value))
                .Select(p => string.Create(CultureInfo.InvariantCulture, $"{X(p.i):F1},{Y(p.v!.Value):F1}")).ToArray();
            string colour = s_colours[s % s_colours.Length];
            sb.Append(CultureInfo.InvariantCulture, $"<polyline fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\" points=\"{string.Join(' ', pts)}\"/>");
            foreach (var p in pts) sb.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{p.Split(',')[0]}\" cy=\"{p.Split(',')[1]}\" r=\"2.5\" fill=\"{colour}\"/>");
            sb.Append(CultureInfo.InvariantCulture, $"<rect x=\"{left + 8 + s * 110}\" y=\"{top + 2}\" width=\"10\" height=\"10\" fill=\"{colour}\"/><text x=\"{left + 22 + s * 110}\" y=\"{top + 11}\" font-size=\"11\">{E(data[s].Name)}</text>");
        }
        return sb.Append("</svg>").ToString();
    }

    private static string HeatMap(ConfusionMatrix cm)
    {
        int k = cm.ClassCount, cell = Math.Clamp(360 / Math.Max(1, k), 22, 60), labelW = 110, topH = 90;
        int w = labelW + k * cell + 10, hgt = topH + k * cell + 10;
        long max = 1;
        for (int i = 0; i < k; i++) for (int j = 0; j < k; j++) max = Math.Max(max, cm[i, j]);
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"<svg class=\"heatmap\" width=\"{w}\" height=\"{hgt}\" viewBox=\"0 0 {w} {hgt}\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"confusion matrix\">");
        for (int j = 0; j < k; j++)
            sb.Append(CultureInfo.InvariantCulture, $"<text transform=\"translate({labelW + j * cell + cell / 2 + 4},{topH - 6}) rotate(-60)\" font-size=\"11\">{E(cm.ClassNames[j])}</text>");
        for (int i = 0; i < k; i++)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{labelW - 6}\" y=\"{topH + i * cell + cell / 2 + 4}\" text-anchor=\"end\" font-size=\"11\">{E(cm.ClassNames[i])}</text>");
            for (int j = 0; j < k; j++)
            {
                double f = cm[i, j] / (double)max;
                // White to deep blue; the diagonal reads at a glance.
                int r = (int)(255 - f * 225), g = (int)(255 - f * 165), b = (int)(255 - f * 75);
                string text = f > 0.55 ? "#fff" : "#222";
                sb.Append(CultureInfo.InvariantCulture, $"<rect x=\"{labelW + j * cell}\" y=\"{topH + i * cell}\" width=\"{cell}\" height=\"{cell}\" fill=\"rgb({r},{g},{b})\" stroke=\"#fff\"/>");
                sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{labelW + j * cell + cell / 2}\" y=\"{topH + i * cell + cell / 2 + 4}\" text-anchor=\"middle\" font-size=\"11\" fill=\"{text}\">{cm[i, j]}</text>");
            }
        }
        return sb.Append("</svg>").ToString();
    }
}
