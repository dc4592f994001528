using System.Text.Json.Nodes;
using Graft.Tensors;

namespace Graft.Layers;

/// <summary>
/// Keras's Dropout: in training, each element is zeroed with probability rate and the rest scaled by
/// 1 / (1 − rate) (inverted dropout), so inference is the identity. Masks come from a generator seeded with
/// <see cref="Seed"/>; <see cref="ResetRandom"/> restarts it, so the next training forward draws the same
/// mask again (gradient checks and reproducible runs rely on this).
/// </summary>
public sealed class Dropout : Layer, IReseedable
{
    public override BackwardReads BackwardReads => BackwardReads.None; // the mask is the layer's own

    private readonly TensorSlot _mask = new();
    private readonly int _effectiveSeed;
    private Random _rng;
    private bool _lastMasked;

    /// <param name="seed">Fixes the mask sequence; null draws a seed once, at construction.</param>
    public Dropout(float rate, int? seed = null, string? name = null) : base(name)
    {
        if (!(rate >= 0 && rate < 1))
            throw new ArgumentException($"Invalid value received for argument `rate` of Dropout '{Name}'. Expected a number in [0, 1). Received: {rate}.");
        Rate = rate;
        Seed = seed;
        _effectiveSeed = seed ?? Random.Shared.Next();
        _rng = new Random(_effectiveSeed);
    }

    public float Rate { get; }
    public int? Seed { get; }
    public override string ClassName => "Dropout";
    public override bool IsElementwise => true;

    /// <summary>Restarts the mask sequence: the next training forward repeats the first mask drawn after construction.</summary>
    public void ResetRandom() => _rng = new Random(_effectiveSeed);

    /// <summary>Restarts the mask stream from <paramref name="seed"/> (the trainer does this every step).</summary>
    public void Reseed(int seed) => _rng = new Random(seed);

    protected override Shape OnBuild(IReadOnlyList<Shape> inputShapes, Random rng) => inputShapes[0];

    public override void Forward(Tensor[] inputs, Tensor output, bool training)
    {
        var x = inputs[0].Span;
        var y = output.Span;
        _lastMasked = training && Rate > 0;
        if (!_lastMasked)
        {
            if (!x.Overlaps(y)) x.CopyTo(y);
            return;
        }
        var mask = _mask.Get(output.Shape).Span;
        float keep = 1f / (1f - Rate);
        for (int i = 0; i < mask.Length; i++) mask[i] = _rng.NextDouble() < Rate ? 0f : keep;
        TensorPrimitives.Multiply(x, mask, y);
    }

    public override void Backward(Tensor[] inputs, Tensor output, Tensor outputGrad, Tensor?[] inputGrads)
    {
        if (inputGrads[0] is not { } dx) return;
        if (_lastMasked) TensorPrimitives.Multiply(outputGrad.Span, _mask.Current!.Span, dx.Span);
        else dx.CopyFrom(outputGrad);
    }

    public override void WriteConfig(JsonObject config)
    {
        config["rate"] = KerasNumber.Of(Rate);
        config["seed"] = Seed;
        config["noise_shape"] = null;
    }

    internal static Dropout FromConfig(LayerConfig c)
    {
        if (c.Has("noise_shape"))
            throw new NotSupportedException($"Layer '{c.Name}' (Dropout) sets noise_shape {c.Json["noise_shape"]!.ToJsonString()}; Graft's Dropout drops single elements only. Expected: noise_shape null or absent.");
        return new Dropout(c.GetFloat("rate"), c.Has("seed") ? c.GetInt("seed") : null, c.Name);
    }
}
