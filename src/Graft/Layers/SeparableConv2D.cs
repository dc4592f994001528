using System.Text.Json.Nodes;
using Graft.Kernels;
using Graft.Tensors;

namespace Graft.Layers;

/// <summary>
/// Depthwise then pointwise convolution, as Keras's SeparableConv2D: y = activation(pointwise(depthwise(x)) + bias).
/// x: (N, H, W, C); depthwise_kernel: (KH, KW, C, DM); pointwise_kernel: (1, 1, C·DM, filters); bias: (filters);
/// y: (N, OH, OW, filters). Strides, padding and dilation apply to the depthwise step.
/// </summary>
public sealed class SeparableConv2D : Layer
{
    public override BackwardReads BackwardReads => (NeedsParameterGrads ? BackwardReads.Inputs : BackwardReads.None) | (Activation == ActivationKind.Linear ? BackwardReads.None : BackwardReads.Output);

    private readonly TensorSlot _depthwiseOut = new();
    private readonly TensorSlot _depthwiseOutGrad = new();
    private readonly TensorSlot _preActivation = new();
    private readonly TensorSlot _preActivationGrad = new();
    private Conv2DGeometry _pointwise;

    public SeparableConv2D(int filters, (int H, int W) kernelSize, (int H, int W)? strides = null, Padding2D padding = default,
        int depthMultiplier = 1, (int H, int W)? dilationRate = null, bool useBias = true, ActivationKind activation = ActivationKind.Linear,
        string? name = null) : base(name)
    {
        if (filters <= 0) throw new ArgumentException($"Invalid value received for argument `filters` of SeparableConv2D '{Name}'. Expected a positive integer. Received: {filters}.");
        if (depthMultiplier <= 0)
            throw new ArgumentException($"Invalid value received for argument `depth_multiplier` of SeparableConv2D '{Name}'. Expected a positive integer. Received: {depthMultiplier}.");
        Filters = filters;
        KernelSize = Conv2D.CheckPair(Name, ClassName, "kernel_size", kernelSize);
        Strides = Conv2D.CheckPair(Name, ClassName, "strides", strides ?? (1, 1));
        DilationRate = Conv2D.CheckPair(Name, ClassName, "dilation_rate", dilationRate ?? (1, 1));
        Padding = padding;
        DepthMultiplier = depthMultiplier;
        UseBias = useBias;
        Activation = activation;
    }

    public SeparableConv2D(int filters, int kernelSize, int strides = 1, Padding2D padding = default, int depthMultiplier = 1,
        int dilationRate = 1, bool useBias = true, ActivationKind activation = ActivationKind.Linear, string? name = null)
        : this(filters, (kernelSize, kernelSize), (strides, strides), padding, depthMultiplier, (dilationRate, dilationRate), useBias, activation, name) { }

    public int Filters { get; }
    public (int H, int W) KernelSize { get; }
    public (int H, int W) Strides { get; }
    public Padding2D Padding { get; }
    public int DepthMultiplier { get; }
    public (int H, int W) DilationRate { get; }
    public bool UseBias { get; }
    public ActivationKind Activation { get; }
    public Parameter DepthwiseKernel { get; private set; } = null!;
    public Parameter PointwiseKernel { get; private set; } = null!;
    public Parameter? Bias { get; private set; }
    /// <summary>The depthwise step's window; the pointwise step is 1×1 over its output.</summary>
    public Conv2DGeometry Geometry { get; private set; }
    public override string ClassName => "SeparableConv2D";

    private int MidChannels => Geometry.C * DepthMultiplier;

    protected override Shape OnBuild(IReadOnlyList<Shape> inputShapes, Random rng)
    {
        Geometry = Conv2D.WindowGeometry(Name, inputShapes[0], KernelSize, Strides, DilationRate, Padding);
        _pointwise = Conv2DGeometry.Create(Geometry.OH, Geometry.OW, MidChannels, 1, 1, 1, 1, 1, 1, Padding2D.Valid);
        // Keras's order: depthwise_kernel, pointwise_kernel, bias.
        DepthwiseKernel = AddParameter("depthwise_kernel", new Shape(KernelSize.H, KernelSize.W, Geometry.C, DepthMultiplier));
        Initializers.GlorotUniform(DepthwiseKernel.Value.Span, DepthwiseKernel.Shape, rng);
        PointwiseKernel = AddParameter("pointwise_kernel", new Shape(1, 1, MidChannels, Filters));
        Initializers.GlorotUniform(PointwiseKernel.Value.Span, PointwiseKernel.Shape, rng);
        if (UseBias) Bias = AddParameter("bias", new Shape(Filters));
        return new Shape(Geometry.OH, Geometry.OW, Filters);
    }

    public override void Forward(Tensor[] inputs, Tensor output, bool training)
    {
        var x = inputs[0];
        int n = x.Shape[0];
        var mid = _depthwiseOut.Get(new Shape(n, Geometry.OH, Geometry.OW, MidChannels));
        DepthwiseConv2DKernels.Forward(Geometry, n, DepthMultiplier, x.Span, DepthwiseKernel.Value.Span, default, mid.Span);
        var z = Activation == ActivationKind.Linear ? output : _preActivation.Get(output.Shape);
        Conv2DKernels.Forward(_pointwise, n, Filters, mid.Span, PointwiseKernel.Value.Span, Bias is null ? default : Bias.Value.Span, z.Span);
        if (Activation != ActivationKind.Linear) Activations.Forward(Activation, z.Span, output.Span, Filters);
    }

    public override void Backward(Tensor[] inputs, Tensor output, Tensor outputGrad, Tensor?[] inputGrads)
    {
        var x = inputs[0];
        int n = x.Shape[0];
        var mid = _depthwiseOut.Current!;
        ReadOnlySpan<float> dz = outputGrad.Span;
        if (Activation != ActivationKind.Linear)
        {
            var dzT = _preActivationGrad.Get(output.Shape);
            Activations.Backward(Activation, _preActivation.Current!.Span, output.Span, outputGrad.Span, dzT.Span, Filters);
            dz = dzT.Span;
        }
        bool weights = NeedsParameterGrads;
        if (weights)
            Conv2DKernels.BackwardWeights(_pointwise, n, Filters, mid.Span, dz, PointwiseKernel.Grad.Span, Bias is null ? default : Bias.Grad.Span);
        if (!weights && inputGrads[0] is null) return;
        // The depthwise kernel's gradient needs dL/d(mid) even when the input's is not wanted.
        var dMid = _depthwiseOutGrad.Get(mid.Shape);
        Conv2DKernels.BackwardInput(_pointwise, n, Filters, dz, PointwiseKernel.Value.Span, dMid.Span);
        if (weights)
            DepthwiseConv2DKernels.BackwardWeights(Geometry, n, DepthMultiplier, x.Span, dMid.Span, DepthwiseKernel.Grad.Span, default);
        if (inputGrads[0] is { } dx)
            DepthwiseConv2DKernels.BackwardInput(Geometry, n, DepthMultiplier, dMid.Span, DepthwiseKernel.Value.Span, dx.Span);
    }

    public override void WriteConfig(JsonObject config)
    {
        config["filters"] = Filters;
        Conv2D.WriteWindowConfig(config, KernelSize, Strides, Padding, DilationRate);
        config["depth_multiplier"] = DepthMultiplier;
        config["use_bias"] = UseBias;
        config["activation"] = ActivationNames.ToKeras(Activation);
    }

    internal static SeparableConv2D FromConfig(LayerConfig c)
    {
        Conv2D.CheckChannelsLast(c);
        var (kernel, strides, padding, dilation) = Conv2D.ReadWindowConfig(c);
        return new SeparableConv2D(c.GetInt("filters"), kernel, strides, padding, c.GetInt("depth_multiplier", 1), dilation,
            c.GetBool("use_bias", true), ActivationNames.Parse(c.GetString("activation", "linear"), $"Layer '{c.Name}'"), c.Name);
    }
}
