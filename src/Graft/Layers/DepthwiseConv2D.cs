using System.Text.Json.Nodes;
using Graft.Kernels;
using Graft.Tensors;

namespace Graft.Layers;

/// <summary>
/// Depthwise 2-D convolution with Keras's semantics: each input channel is convolved with its own
/// depth_multiplier (DM) filters. x: (N, H, W, C); depthwise_kernel: (KH, KW, C, DM); bias: (C·DM);
/// y: (N, OH, OW, C·DM), output channel c·DM + m coming from input channel c and filter m.
/// </summary>
public sealed class DepthwiseConv2D : Layer
{
    public override BackwardReads BackwardReads => (NeedsParameterGrads ? BackwardReads.Inputs : BackwardReads.None) | (Activation == ActivationKind.Linear ? BackwardReads.None : BackwardReads.Output);

    private readonly TensorSlot _preActivation = new();
    private readonly TensorSlot _preActivationGrad = new();

    public DepthwiseConv2D((int H, int W) kernelSize, (int H, int W)? strides = null, Padding2D padding = default, int depthMultiplier = 1,
        (int H, int W)? dilationRate = null, bool useBias = true, ActivationKind activation = ActivationKind.Linear, string? name = null)
        : base(name)
    {
        if (depthMultiplier <= 0)
            throw new ArgumentException($"Invalid value received for argument `depth_multiplier` of DepthwiseConv2D '{Name}'. Expected a positive integer. Received: {depthMultiplier}.");
        KernelSize = Conv2D.CheckPair(Name, ClassName, "kernel_size", kernelSize);
        Strides = Conv2D.CheckPair(Name, ClassName, "strides", strides ?? (1, 1));
        DilationRate = Conv2D.CheckPair(Name, ClassName, "dilation_rate", dilationRate ?? (1, 1));
        Padding = padding;
        DepthMultiplier = depthMultiplier;
        UseBias = useBias;
        Activation = activation;
    }

    /// <summary>Square kernel, equal strides and dilation: <c>new DepthwiseConv2D(3, strides: 2, padding: Padding2D.Same)</c>.</summary>
    public DepthwiseConv2D(int kernelSize, int strides = 1, Padding2D padding = default, int depthMultiplier = 1, int dilationRate = 1,
        bool useBias = true, ActivationKind activation = ActivationKind.Linear, string? name = null)
        : this((kernelSize, kernelSize), (strides, strides), padding, depthMultiplier, (dilationRate, dilationRate), useBias, activation, name) { }

    public (int H, int W) KernelSize { get; }
    public (int H, int W) Strides { get; }
    public Padding2D Padding { get; }
    public int DepthMultiplier { get; }
    public (int H, int W) DilationRate { get; }
    public bool UseBias { get; }
    public ActivationKind Activation { get; }
    public Parameter DepthwiseKernel { get; private set; } = null!;
    public Parameter? Bias { get; private set; }
    public Conv2DGeometry Geometry { get; private set; }
    public override string ClassName => "DepthwiseConv2D";

    private int OutChannels => Geometry.C * DepthMultiplier;

    protected override Shape OnBuild(IReadOnlyList<Shape> inputShapes, Random rng)
    {
        Geometry = Conv2D.WindowGeometry(Name, inputShapes[0], KernelSize, Strides, DilationRate, Padding);
        DepthwiseKernel = AddParameter("depthwise_kernel", new Shape(KernelSize.H, KernelSize.W, Geometry.C, DepthMultiplier));
        Initializers.GlorotUniform(DepthwiseKernel.Value.Span, DepthwiseKernel.Shape, rng);
        if (UseBias) Bias = AddParameter("bias", new Shape(OutChannels));
        return new Shape(Geometry.OH, Geometry.OW, OutChannels);
    }

    public override void Forward(Tensor[] inputs, Tensor output, bool training)
    {
        var x = inputs[0];
        var z = Activation == ActivationKind.Linear ? output : _preActivation.Get(output.Shape);
        DepthwiseConv2DKernels.Forward(Geometry, x.Shape[0], DepthMultiplier, x.Span, DepthwiseKernel.Value.Span,
            Bias is null ? default : Bias.Value.Span, z.Span);
        if (Activation != ActivationKind.Linear) Activations.Forward(Activation, z.Span, output.Span, OutChannels);
    }

    public override void Backward(Tensor[] inputs, Tensor output, Tensor outputGrad, Tensor?[] inputGrads)
    {
        var x = inputs[0];
        int n = x.Shape[0];
        ReadOnlySpan<float> dz = outputGrad.Span;
        if (Activation != ActivationKind.Linear)
        {
            var dzT = _preActivationGrad.Get(output.Shape);
            Activations.Backward(Activation, _preActivation.Current!.Span, output.Span, outputGrad.Span, dzT.Span, OutChannels);
            dz = dzT.Span;
        }
        if (NeedsParameterGrads)
            DepthwiseConv2DKernels.BackwardWeights(Geometry, n, DepthMultiplier, x.Span, dz, DepthwiseKernel.Grad.Span,
                Bias is null ? default : Bias.Grad.Span);
        if (inputGrads[0] is { } dx)
            DepthwiseConv2DKernels.BackwardInput(Geometry, n, DepthMultiplier, dz, DepthwiseKernel.Value.Span, dx.Span);
    }

    public override void WriteConfig(JsonObject config)
    {
        Conv2D.WriteWindowConfig(config, KernelSize, Strides, Padding, DilationRate);
        config["depth_multiplier"] = DepthMultiplier;
        config["use_bias"] = UseBias;
        config["activation"] = ActivationNames.ToKeras(Activation);
    }

    internal static DepthwiseConv2D FromConfig(LayerConfig c)
    {
        Conv2D.CheckChannelsLast(c);
        var (kernel, strides, padding, dilation) = Conv2D.ReadWindowConfig(c);
        return new DepthwiseConv2D(kernel, strides, padding, c.GetInt("depth_multiplier", 1), dilation, c.GetBool("use_bias", true),
            ActivationNames.Parse(c.GetString("activation", "linear"), $"Layer '{c.Name}'"), c.Name);
    }
}
