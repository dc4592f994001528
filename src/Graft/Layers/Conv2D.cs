using System.Text.Json.Nodes;
using Graft.Kernels;
using Graft.Tensors;

namespace Graft.Layers;

/// <summary>
/// 2-D convolution with Keras's semantics: y = activation(conv(x, kernel) + bias).
/// x: (N, H, W, CIN); kernel: (KH, KW, CIN, filters) (HWIO); bias: (filters); y: (N, OH, OW, filters).
/// Padding "valid", "same" (TensorFlow's: extra row/column bottom/right) or explicit per side.
/// </summary>
public sealed class Conv2D : Layer
{
    public override BackwardReads BackwardReads => (NeedsParameterGrads ? BackwardReads.Inputs : BackwardReads.None) | (Activation == ActivationKind.Linear ? BackwardReads.None : BackwardReads.Output);

    private readonly TensorSlot _preActivation = new();
    private readonly TensorSlot _preActivationGrad = new();

    public Conv2D(int filters, (int H, int W) kernelSize, (int H, int W)? strides = null, Padding2D padding = default,
        (int H, int W)? dilationRate = null, bool useBias = true, ActivationKind activation = ActivationKind.Linear, string? name = null)
        : base(name)
    {
        if (filters <= 0) throw new ArgumentException($"Invalid value received for argument `filters` of Conv2D '{Name}'. Expected a positive integer. Received: {filters}.");
        Filters = filters;
        KernelSize = CheckPair(Name, "Conv2D", "kernel_size", kernelSize);
        Strides = CheckPair(Name, "Conv2D", "strides", strides ?? (1, 1));
        DilationRate = CheckPair(Name, "Conv2D", "dilation_rate", dilationRate ?? (1, 1));
        Padding = padding;
        UseBias = useBias;
        Activation = activation;
    }

    /// <summary>Square kernel, equal strides and dilation: <c>new Conv2D(32, 3, strides: 2, padding: Padding2D.Same)</c>.</summary>
    public Conv2D(int filters, int kernelSize, int strides = 1, Padding2D padding = default, int dilationRate = 1,
        bool useBias = true, ActivationKind activation = ActivationKind.Linear, string? name = null)
        : this(filters, (kernelSize, kernelSize), (strides, strides), padding, (dilationRate, dilationRate), useBias, activation, name) { }

    public int Filters { get; }
    public (int H, int W) KernelSize { get; }
    public (int H, int W) Strides { get; }
    public Padding2D Padding { get; }
    public (int H, int W) DilationRate { get; }
    public bool UseBias { get; }
    public ActivationKind Activation { get; }
    public Parameter Kernel { get; private set; } = null!;
    public Parameter? Bias { get; private set; }
    /// <summary>The resolved window (padding amounts, output size); set by Build.</summary>
    public Conv2DGeometry Geometry { get; private set; }
    public override string ClassName => "Conv2D";

    protected override Shape OnBuild(IReadOnlyList<Shape> inputShapes, Random rng)
    {
        Geometry = WindowGeometry(Name, inputShapes[0], KernelSize, Strides, DilationRate, Padding);
        Kernel = AddParameter("kernel", new Shape(KernelSize.H, KernelSize.W, Geometry.C, Filters));
        Initializers.GlorotUniform(Kernel.Value.Span, Kernel.Shape, rng);
        if (UseBias) Bias = AddParameter("bias", new Shape(Filters));
        return new Shape(Geometry.OH, Geometry.OW, Filters);
    }

    public override void Forward(Tensor[] inputs, Tensor output, bool training)
    {
        var x = inputs[0];
        var z = Activation == ActivationKind.Linear ? output : _preActivation.Get(output.Shape);
        Conv2DKernels.Forward(Geometry, x.Shape[0], Filters, x.Span, Kernel.Value.Span, Bias is null ? default : Bias.Value.Span, z.Span);
        if (Activation != ActivationKind.Linear) Activations.Forward(Activation, z.Span, output.Span, Filters);
    }

    public override void Backward(Tensor[] inputs, Tensor output, Tensor outputGrad, Tensor?[] inputGrads)
    {
        var x = inputs[0];
        int n = x.Shape[0];
        ReadOnlySpan<float> dz = outputGrad.Span;
        if (Activation != ActivationKind.Linear)
        {
            var dzT = _preActivationGrad.Get(output.Shape);
            Activations.Backward(Activation, _preActivation.Current!.Span, output.Span, outputGrad.Span, dzT.Span, Filters);
            dz = dzT.Span;
        }
        if (NeedsParameterGrads)
            Conv2DKernels.BackwardWeights(Geometry, n, Filters, x.Span, dz, Kernel.Grad.Span, Bias is null ? default : Bias.Grad.Span);
        if (inputGrads[0] is { } dx)
            Conv2DKernels.BackwardInput(Geometry, n, Filters, dz, Kernel.Value.Span, dx.Span);
    }

    public override void WriteConfig(JsonObject config)
    {
        config["filters"] = Filters;
        WriteWindowConfig(config, KernelSize, Strides, Padding, DilationRate);
        config["use_bias"] = UseBias;
        config["activation"] = ActivationNames.ToKeras(Activation);
    }

    internal static Conv2D FromConfig(LayerConfig c)
    {
        CheckChannelsLast(c);
        if (c.GetInt("groups", 1) != 1)
            throw new NotSupportedException($"Layer '{c.Name}' (Conv2D) has groups = {c.GetInt("groups")}; Graft supports groups = 1 only.");
        var (kernel, strides, padding, dilation) = ReadWindowConfig(c);
        return new Conv2D(c.GetInt("filters"), kernel, strides, padding, dilation, c.GetBool("use_bias", true),
            ActivationNames.Parse(c.GetString("activation", "linear"), $"Layer '{c.Name}'"), c.Name);
    }

    // Shared by the convolution layers (Conv2D, DepthwiseConv2D, SeparableConv2D).

    internal static (int H, int W) CheckPair(string layer, string className, string argument, (int H, int W) value)
    {
        if (value.H <= 0 || value.W <= 0)
            throw new ArgumentException($"Invalid value received for argument `{argument}` of {className} '{layer}'. Expected positive integers. Received: ({value.H}, {value.W}).");
        return value;
    }

    /// <summary>Checks an (H, W, C) input against the window and resolves the geometry, or says why the window does not fit.</summary>
    internal static Conv2DGeometry WindowGeometry(string layer, Shape input, (int H, int W) kernel, (int H, int W) strides,
        (int H, int W) dilation, Padding2D padding)
    {
        if (input.Rank != 3 || input.Size == 0)
            throw new ShapeMismatchException(layer, "(H, W, C) images (NHWC with the batch)", input.ToString(),
                "convolutions take channels-last images; add a Reshape before this layer for flat inputs.");
        var g = Conv2DGeometry.Create(input[0], input[1], input[2], kernel.H, kernel.W, strides.H, strides.W, dilation.H, dilation.W, padding);
        if (!g.Fits)
        {
            int effH = (kernel.H - 1) * dilation.H + 1, effW = (kernel.W - 1) * dilation.W + 1;
            throw new ShapeMismatchException(layer, $"(H ≥ {effH - g.PadTop - g.PadBottom}, W ≥ {effW - g.PadLeft - g.PadRight}, C)", input.ToString(),
                $"the {kernel.H}×{kernel.W} kernel (dilation {dilation.H}×{dilation.W}, spanning {effH}×{effW} pixels) does not fit with padding {padding}; " +
                "use padding \"same\" or a larger input.");
        }
        return g;
    }

    internal static void CheckChannelsLast(LayerConfig c)
    {
        var format = c.GetString("data_format", "channels_last");
        if (format != "channels_last")
            throw new NotSupportedException($"Layer '{c.Name}' ({c.ClassName}) has data_format '{format}'; Graft supports channels_last (NHWC) only. Hint: re-save the model with channels_last.");
    }

    internal static ((int, int) Kernel, (int, int) Strides, Padding2D Padding, (int, int) Dilation) ReadWindowConfig(LayerConfig c)
    {
        var k = c.GetInts("kernel_size", 2);
        var s = c.GetInts("strides", 2, new[] { 1, 1 });
        var d = c.GetInts("dilation_rate", 2, new[] { 1, 1 });
        var padding = c.Has("padding") ? Padding2D.FromJson(c.Json["padding"], $"Layer '{c.Name}' ({c.ClassName})") : Padding2D.Valid;
        return ((k[0], k[1]), (s[0], s[1]), padding, (d[0], d[1]));
    }

    internal static void WriteWindowConfig(JsonObject config, (int H, int W) kernel, (int H, int W) strides, Padding2D padding, (int H, int W) dilation)
    {
        config["kernel_size"] = new JsonArray(kernel.H, kernel.W);
        config["strides"] = new JsonArray(strides.H, strides.W);
        config["padding"] = padding.ToJson();
        config["data_format"] = "channels_last";
        config["dilation_rate"] = new JsonArray(dilation.H, dilation.W);
    }
}
