using System.Text.RegularExpressions;
using Graft.Graph;
using Graft.Layers;

namespace Graft.Transfer;

/// <summary>
/// Freezing and unfreezing layers of a model. A frozen layer keeps its weights; a frozen BatchNorm also
/// runs in inference mode (see <see cref="Layer.Trainable"/>). Layers are counted in topological order,
/// input layers excluded, which for imported Keras models is the file's order.
/// </summary>
public static class Freezing
{
    private static IEnumerable<Layer> RealLayers(Model model) => model.Layers.Where(l => l is not InputLayer);

    public static void FreezeAll(this Model model)
    {
        foreach (var l in RealLayers(model)) l.Trainable = false;
    }

    public static void Unfreeze(this Model model)
    {
        foreach (var l in RealLayers(model)) l.Trainable = true;
    }

    /// <summary>Freezes the first <paramref name="count"/> layers and unfreezes the rest.</summary>
    public static void FreezeFirst(this Model model, int count)
    {
        var layers = RealLayers(model).ToArray();
        if (count < 0 || count > layers.Length)
            throw new ArgumentOutOfRangeException(nameof(count), $"Expected a layer count between 0 and {layers.Length} for model '{model.Name}'. Received: {count}.");
        for (int i = 0; i < layers.Length; i++) layers[i].Trainable = i >= count;
    }

    /// <summary>
    /// Freezes every layer up to and including <paramref name="layerName"/> and unfreezes every layer after it.
    /// </summary>
    public static void FreezeUpTo(this Model model, string layerName)
    {
        var layers = RealLayers(model).ToArray();
        int index = Array.FindIndex(layers, l => l.Name == layerName);
        if (index < 0) model.GetLayer(layerName); // throws with a hint listing how to find names
        for (int i = 0; i < layers.Length; i++) layers[i].Trainable = i > index;
    }

    /// <summary>
    /// Unfreezes from <paramref name="layerName"/> (inclusive) to the end, freezing everything before it:
    /// the usual fine-tuning cut ("unfreeze from block_13").
    /// </summary>
    public static void UnfreezeFrom(this Model model, string layerName)
    {
        var layers = RealLayers(model).ToArray();
        int index = Array.FindIndex(layers, l => l.Name == layerName);
        if (index < 0) model.GetLayer(layerName);
        for (int i = 0; i < layers.Length; i++) layers[i].Trainable = i >= index;
    }

    /// <summary>Sets Trainable on the layers whose names match a regular expression (or a glob with * and ?).</summary>
    public static int SetTrainable(this Model model, string pattern, bool trainable)
    {
        var regex = ToRegex(pattern);
        int n = 0;
        foreach (var l in RealLayers(model).Where(l => regex.IsMatch(l.Name)))
        {
            l.Trainable = trainable;
            n++;
        }
        if (n == 0)
            throw new ArgumentException($"No layer of model '{model.Name}' matches '{pattern}'. Hint: `graft inspect` lists the layer names.");
        return n;
    }

    public static int Freeze(this Model model, string pattern) => model.SetTrainable(pattern, false);
    public static int Unfreeze(this Model model, string pattern) => model.SetTrainable(pattern, true);

    private static Regex ToRegex(string pattern)
    {
        bool isGlob = pattern.IndexOfAny(new[] { '^', '$', '(', '[', '\\', '+', '|' }) < 0;
        var source = isGlob ? "^" + Regex.Escape(pattern).Replace("\\*", ".*").Replace("\\?", ".") + "$" : pattern;
        return new Regex(source, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
    }

    /// <summary>Parameter counts split by trainable and frozen (BatchNorm moving statistics count as frozen).</summary>
    public static ParameterSummary Summarize(this Model model)
    {
        long trainable = 0, frozen = 0;
        foreach (var p in model.Parameters)
        {
            if (p.Trainable) trainable += p.Shape.Size; else frozen += p.Shape.Size;
        }
        var lowest = RealLayers(model).FirstOrDefault(l => l.Parameters.Any(p => p.Trainable));
        return new ParameterSummary(trainable, frozen, lowest?.Name);
    }
}

/// <param name="LowestTrainableLayer">The freeze boundary: backward stops below this layer.</param>
public sealed record ParameterSummary(long Trainable, long Frozen, string? LowestTrainableLayer)
{
    public long Total => Trainable + Frozen;
    public override string ToString() =>
        $"{Total:N0} parameters: {Trainable:N0} trainable, {Frozen:N0} frozen" + (LowestTrainableLayer is null ? "" : $"; training from '{LowestTrainableLayer}' up");
}
