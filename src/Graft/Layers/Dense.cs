using System.Text.Json.Nodes;
using Graft.Kernels;
using Graft.Tensors;

namespace Graft.Layers;

/// <summary>
/// y = activation(x · kernel + bias) on the last axis. x: (..., IN); kernel: (IN, OUT); bias: (OUT).
/// </summary>
public sealed class Dense : Layer
{
    public override BackwardReads BackwardReads => (NeedsParameterGrads ? BackwardReads.Inputs : BackwardReads.None) | (Activation == ActivationKind.Linear ? BackwardReads.None : BackwardReads.Output);

    private readonly TensorSlot _preActivation = new();
    private readonly TensorSlot _preActivationGrad = new();

    public Dense(int units, ActivationKind activation = ActivationKind.Linear, bool useBias = true, string? name = null) : base(name)
    {
        if (units <= 0) throw new ArgumentException($"Invalid value received for argument `units` of Dense '{Name}'. Expected a positive integer. Received: {units}.");
        Units = units;
        Activation = activation;
        UseBias = useBias;
    }

    public int Units { get; }
    public ActivationKind Activation { get; }
    public bool UseBias { get; }
    public Parameter Kernel { get; private set; } = null!;
    public Parameter? Bias { get; private set; }
    public override string ClassName => "Dense";

    protected override Shape OnBuild(IReadOnlyList<Shape> inputShapes, Random rng)
    {
        var s = inputShapes[0];
        if (s.Rank < 1) throw ShapeError("(..., features)", s);
        Kernel = AddParameter("kernel", new Shape(s[-1], Units));
        Initializers.GlorotUniform(Kernel.Value.Span, Kernel.Shape, rng);
        if (UseBias) Bias = AddParameter("bias", new Shape(Units));
        var dims = s.ToArray();
        dims[^1] = Units;
        return new Shape(dims);
    }

    public override void Forward(Tensor[] inputs, Tensor output, bool training)
    {
        var x = inputs[0];
        int inF = Kernel.Shape[0], rows = x.Length / inF;
        var z = Activation == ActivationKind.Linear ? output : _preActivation.Get(output.Shape);
        var zs = z.Span;
        if (Bias is not null)
            for (int r = 0; r < rows; r++) Bias.Value.Span.CopyTo(zs.Slice(r * Units, Units));
        Gemm.Sgemm(false, false, rows, Units, inF, 1f, x.Span, inF, Kernel.Value.Span, Units, Bias is null ? 0f : 1f, zs, Units);
        if (Activation != ActivationKind.Linear) Activations.Forward(Activation, zs, output.Span, Units);
    }

    public override void Backward(Tensor[] inputs, Tensor output, Tensor outputGrad, Tensor?[] inputGrads)
    {
        var x = inputs[0];
        int inF = Kernel.Shape[0], rows = x.Length / inF;
        ReadOnlySpan<float> dz = outputGrad.Span;
        if (Activation != ActivationKind.Linear)
        {
            var dzT = _preActivationGrad.Get(output.Shape);
            Activations.Backward(Activation, _preActivation.Current!.Span, output.Span, outputGrad.Span, dzT.Span, Units);
            dz = dzT.Span;
        }
        if (NeedsParameterGrads)
        {
            Gemm.Sgemm(true, false, inF, Units, rows, 1f, x.Span, inF, dz, Units, 1f, Kernel.Grad.Span, Units);
            if (Bias is not null)
            {
                var bg = Bias.Grad.Span;
                for (int r = 0; r < rows; r++) TensorPrimitives.Add(bg, dz.Slice(r * Units, Units), bg);
            }
        }
        if (inputGrads[0] is { } dx)
            Gemm.Sgemm(false, true, rows, inF, Units, 1f, dz, Units, Kernel.Value.Span, Units, 0f, dx.Span, inF);
    }

    public override void WriteConfig(JsonObject config)
    {
        config["units"] = Units;
        config["activation"] = ActivationNames.ToKeras(Activation);
        config["use_bias"] = UseBias;
    }

    internal static Dense FromConfig(LayerConfig c) =>
        new(c.GetInt("units"), ActivationNames.Parse(c.GetString("activation", "linear"), $"Layer '{c.Name}'"), c.GetBool("use_bias", true), c.Name);
}
