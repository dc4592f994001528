using Graft.Tensors;

namespace Graft.Models;

/// <summary>The value range of a batch compared with what a model's preprocessing produces.</summary>
public sealed record InputRangeReport(float Min, float Max, float ExpectedMin, float ExpectedMax, string? Warning)
{
    public bool Matches => Warning is null;
}

/// <summary>
/// Catches the most common transfer-learning bug before it costs a training run: images fed with the wrong
/// scaling ([0, 255] to a [−1, 1] model, [0, 1] to a [−1, 1] one, …). The weights still produce numbers, just
/// bad ones, so nothing else would notice.
/// </summary>
public static class InputRangeCheck
{
    public static InputRangeReport Check(Preprocessing expected, Tensor batch)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(batch);
        var span = batch.Span;
        float eMin = expected.ExpectedMin, eMax = expected.ExpectedMax;
        if (span.Length == 0) return new InputRangeReport(0, 0, eMin, eMax, null);
        if (!float.IsFinite(TensorPrimitives.Sum(span)))
            return new InputRangeReport(float.NaN, float.NaN, eMin, eMax, "the batch holds NaN or infinite values.");
        float min = TensorPrimitives.Min(span), max = TensorPrimitives.Max(span);
        float tol = 0.02f * (eMax - eMin);
        string? warning = null;
        if (min < eMin - tol || max > eMax + tol)
            warning = $"the batch's values lie in [{min:G4}, {max:G4}], outside [{eMin:G4}, {eMax:G4}] that this model's preprocessing ({expected.Description}) produces; {Guess(min, max)}";
        else if (eMin < -0.5f && min >= -tol && max <= 1 + tol)
            warning = $"the batch's values lie in [{min:G4}, {max:G4}], which looks like images scaled to [0, 1], but this model expects [{eMin:G4}, {eMax:G4}] ({expected.Description}).";
        else if (eMax > 100 && max <= 1 + tol)
            warning = $"the batch's values lie in [{min:G4}, {max:G4}], but this model expects pixel values up to {eMax:G4} ({expected.Description}).";
        return new InputRangeReport(min, max, eMin, eMax, warning is null ? null : "Input range mismatch: " + warning + " Hint: apply the model's Preprocessing to raw pixels.");
    }

    private static string Guess(float min, float max) =>
        max > 1.5f && min >= -0.5f ? "they look like raw pixels in [0, 255]."
        : min >= -0.05f && max <= 1.05f ? "they look like pixels scaled to [0, 1]."
        : min < -0.05f && max <= 1.05f ? "they look like pixels scaled to [−1, 1]."
        : "they may be standardized or not scaled at all.";
}
