using System.Text.Json.Nodes;
using Graft.Kernels;
using Graft.Tensors;

namespace Graft.Layers;

/// <summary>
/// Keras's BatchNormalization on the channel axis. x: (N, ..., C); gamma, beta, moving_mean, moving_variance: (C).
/// Training mode normalizes with the batch's mean and biased variance and moves the moving statistics
/// toward them (moving = moving · momentum + batch · (1 − momentum), Keras 3's rule); inference mode uses the
/// moving statistics. The mode is training AND <see cref="Layer.Trainable"/>: a frozen BatchNorm always runs
/// in inference mode and leaves its statistics alone, which is what fine-tuning a pretrained base needs.
/// </summary>
public sealed class BatchNormalization : Layer
{
    public override BackwardReads BackwardReads => BackwardReads.Inputs; // plus its own batch statistics

    // Per-channel work vectors (C each), reused across steps.
    private float[] _mean = Array.Empty<float>(), _invStd = Array.Empty<float>();
    private float[] _scale = Array.Empty<float>(), _shift = Array.Empty<float>();
    private float[] _sumDy = Array.Empty<float>(), _sumDyXc = Array.Empty<float>();
    private float[] _a = Array.Empty<float>(), _b = Array.Empty<float>(), _d = Array.Empty<float>();
    private bool _lastForwardTrained;

    public BatchNormalization(int axis = -1, float momentum = 0.99f, float epsilon = 1e-3f, bool center = true, bool scale = true, string? name = null)
        : base(name)
    {
        if (!(momentum >= 0 && momentum <= 1))
            throw new ArgumentException($"Invalid value received for argument `momentum` of BatchNormalization '{Name}'. Expected a number in [0, 1]. Received: {momentum}.");
        if (!(epsilon > 0))
            throw new ArgumentException($"Invalid value received for argument `epsilon` of BatchNormalization '{Name}'. Expected a positive number. Received: {epsilon}.");
        Axis = axis;
        Momentum = momentum;
        Epsilon = epsilon;
        Center = center;
        Scale = scale;
    }

    public int Axis { get; }
    public float Momentum { get; }
    public float Epsilon { get; }
    public bool Center { get; }
    public bool Scale { get; }
    public Parameter? Gamma { get; private set; }
    public Parameter? Beta { get; private set; }
    public Parameter MovingMean { get; private set; } = null!;
    public Parameter MovingVariance { get; private set; } = null!;
    public override string ClassName => "BatchNormalization";

    protected override Shape OnBuild(IReadOnlyList<Shape> inputShapes, Random rng)
    {
        var s = inputShapes[0];
        if (s.Rank < 1) throw ShapeError("(..., channels)", s);
        // Keras counts the batch axis, so the channel axis of an (N, H, W, C) input is 3 = s.Rank.
        if (Axis != -1 && Axis != s.Rank)
            throw new NotSupportedException($"BatchNormalization '{Name}' normalizes only the last (channel) axis. Expected axis -1 or {s.Rank} for inputs of shape {s.WithBatch(1).ToString().Replace("(1,", "(N,")}. Received: axis={Axis}.");
        int c = s[-1];
        if (Scale)
        {
            Gamma = AddParameter("gamma", new Shape(c));
            Gamma.Value.Span.Fill(1f);
        }
        if (Center) Beta = AddParameter("beta", new Shape(c));
        MovingMean = AddParameter("moving_mean", new Shape(c), trainable: false);
        MovingVariance = AddParameter("moving_variance", new Shape(c), trainable: false);
        MovingVariance.Value.Span.Fill(1f);
        _mean = new float[c];
        _invStd = new float[c];
        _scale = new float[c];
        _shift = new float[c];
        _sumDy = new float[c];
        _sumDyXc = new float[c];
        _a = new float[c];
        _b = new float[c];
        _d = new float[c];
        return s;
    }

    private int Channels => _mean.Length;

    public override void Forward(Tensor[] inputs, Tensor output, bool training)
    {
        var x = inputs[0];
        int channels = Channels, rows = x.Length / channels;
        _lastForwardTrained = training && Trainable && rows > 0;
        if (_lastForwardTrained)
        {
            BatchNorm.Moments(x.Memory, channels, _mean, _scale); // _scale holds the variance until overwritten below
            var mm = MovingMean.Value.Span;
            var mv = MovingVariance.Value.Span;
            for (int c = 0; c < channels; c++)
            {
                mm[c] = mm[c] * Momentum + _mean[c] * (1 - Momentum);
                mv[c] = mv[c] * Momentum + _scale[c] * (1 - Momentum);
                _invStd[c] = 1f / MathF.Sqrt(_scale[c] + Epsilon);
            }
        }
        else
        {
            MovingMean.Value.Span.CopyTo(_mean);
            var mv = MovingVariance.Value.Span;
            for (int c = 0; c < channels; c++) _invStd[c] = 1f / MathF.Sqrt(mv[c] + Epsilon);
        }
        for (int c = 0; c < channels; c++)
        {
            float g = Gamma?.Value[c] ?? 1f, b = Beta?.Value[c] ?? 0f;
            _scale[c] = g * _invStd[c];
            _shift[c] = b - _mean[c] * _scale[c];
        }
        BatchNorm.Affine(x.Memory, _scale, _shift, output.Memory, channels);
    }

    public override void Backward(Tensor[] inputs, Tensor output, Tensor outputGrad, Tensor?[] inputGrads)
    {
        var x = inputs[0];
        int channels = Channels, rows = x.Length / channels;
        bool paramGrads = NeedsParameterGrads && (Gamma is not null || Beta is not null);
        var dx = inputGrads[0];
        if (dx is null && !paramGrads) return;
        // Both modes need Σdy and Σdy·(x − mean); the weight gradients are dβ = Σdy and dγ = Σdy·x̂.
        BatchNorm.GradSums(outputGrad.Memory, x.Memory, _mean, channels, _sumDy, _sumDyXc);
        if (paramGrads)
        {
            if (Gamma is not null)
            {
                var gg = Gamma.Grad.Span;
                for (int c = 0; c < channels; c++) gg[c] += _sumDyXc[c] * _invStd[c];
            }
            if (Beta is not null) TensorPrimitives.Add(Beta.Grad.Span, _sumDy, Beta.Grad.Span);
        }
        if (dx is null) return;
        if (!_lastForwardTrained)
        {
            // Inference mode is a fixed per-channel affine map: dx = dy · γ/σ.
            Array.Clear(_shift);
            BatchNorm.Affine(outputGrad.Memory, _scale, _shift, dx.Memory, channels);
            return;
        }
        // Training mode: the batch statistics depend on x. With x̂ = (x − μ)/σ and M rows,
        // dx = γ/σ · (dy − Σdy/M − x̂ · Σ(dy·x̂)/M), rearranged into a·dy + b·x + d per channel.
        for (int c = 0; c < channels; c++)
        {
            float inv = _invStd[c], g = Gamma?.Value[c] ?? 1f;
            _a[c] = g * inv;
            _b[c] = -g * inv * inv * inv * _sumDyXc[c] / rows;
            _d[c] = -_a[c] * _sumDy[c] / rows - _b[c] * _mean[c];
        }
        BatchNorm.Affine2(outputGrad.Memory, x.Memory, _a, _b, _d, dx.Memory, channels);
    }

    public override void WriteConfig(JsonObject config)
    {
        config["axis"] = Axis;
        config["momentum"] = KerasNumber.Of(Momentum);
        config["epsilon"] = KerasNumber.Of(Epsilon);
        config["center"] = Center;
        config["scale"] = Scale;
    }

    internal static BatchNormalization FromConfig(LayerConfig c)
    {
        if (c.GetBool("renorm", false))
            throw new NotSupportedException($"Layer '{c.Name}' (BatchNormalization) uses batch renormalization (renorm: true), which Graft does not support. Expected renorm false or absent.");
        // Keras 2 saves the axis of a built layer as a list ([3]).
        int axis;
        if (c.Json["axis"] is JsonArray arr)
        {
            if (arr.Count != 1 || arr[0] is not JsonValue v || !v.TryGetValue(out axis))
                throw c.Error("axis", "one integer (Graft normalizes only the channel axis)");
        }
        else axis = c.GetInt("axis", -1);
        return new BatchNormalization(axis, c.GetFloat("momentum", 0.99f), c.GetFloat("epsilon", 1e-3f), c.GetBool("center", true), c.GetBool("scale", true), c.Name);
    }
}
