using Graft.Kernels;
using Graft.Layers;
using Graft.Tensors;

namespace Graft.Graph;

/// <summary>
/// Conv2D with, folded in: a ZeroPadding2D before it, a BatchNorm after it, a clamp activation (its own or the
/// next layer's) and the other input of a residual Add. The folded weights are packed once for the GEMM.
/// Inputs: x, then the residual when there is one.
/// </summary>
internal sealed unsafe class ConvStep : PlanStep
{
    private readonly Conv2D _conv;
    private readonly BatchNormalization? _bn;
    private readonly ZeroPadding2D? _pad;
    private readonly (float Lo, float Hi) _clamp;
    private readonly bool _residual;
    private readonly Conv2DGeometry _geometry;
    private GemmPackedWeights? _weights;
    private float[] _bias = Array.Empty<float>(), _direct = Array.Empty<float>();

    /// <summary>Small windows (an RGB stem) run as a direct convolution; the rest as GEMM.</summary>
    private bool Direct => !_residual && _geometry.KH * _geometry.KW * _geometry.C <= Conv2DDirectFused.MaxWindow
                           && System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated;

    public ConvStep(IReadOnlyList<Node> nodes, Conv2D conv, ZeroPadding2D? pad, BatchNormalization? bn, (float, float) clamp, bool residual,
        int[] inputs, int output) : base(inputs, output, nodes)
    {
        (_conv, _pad, _bn, _clamp, _residual) = (conv, pad, bn, clamp, residual);
        _geometry = InferencePlanFolding.WithPadding(conv.Geometry, pad);
    }

    public override string Description =>
        $"Conv2D {_conv.Name} {_geometry.KH}×{_geometry.KW}/{_geometry.StrideH}{(Direct ? " (direct)" : _geometry.IsPointwise ? " (pointwise GEMM)" : " (im2col GEMM)")}" +
        (_pad is null ? "" : $" ← pad {_pad.Name}") + (_bn is null ? "" : $" + BN {_bn.Name}") + (_residual ? " + residual Add" : "") +
        InferencePlanFolding.ClampName(_clamp);

    public override void Refresh()
    {
        int cout = _conv.Filters;
        var w = _conv.Kernel.Value.Span.ToArray();
        var bias = GC.AllocateArray<float>(cout, pinned: true);
        _conv.Bias?.Value.Span.CopyTo(bias);
        InferencePlanFolding.FoldInto(_bn, w, bias);
        if (Direct) _direct = w;
        else _weights = new GemmPackedWeights(w, w.Length / cout, cout);
        _bias = bias;
    }

    public override void Run(Tensor[] inputs, Tensor output)
    {
        int n = inputs[0].Shape[0];
        if (Direct)
        {
            Conv2DDirectFused.Forward(_geometry, n, _conv.Filters, inputs[0].Span, _direct, _bias, _clamp.Lo, _clamp.Hi, output.Span);
            return;
        }
        fixed (float* px = inputs[0].Span)
        fixed (float* py = output.Span)
        fixed (float* pb = _bias)
        fixed (float* pr = _residual ? inputs[1].Span : default)
        {
            var e = new GemmEpilogue { Bias = pb, Residual = pr, ResidualStride = _conv.Filters, Lo = _clamp.Lo, Hi = _clamp.Hi };
            Conv2DFused.Forward(_geometry, n, _weights!, px, py, _conv.Filters, e);
        }
    }
}

/// <summary>DepthwiseConv2D with a ZeroPadding2D before it, a BatchNorm after it and a clamp activation folded in.</summary>
internal sealed class DepthwiseStep : PlanStep
{
    private readonly DepthwiseConv2D _dw;
    private readonly BatchNormalization? _bn;
    private readonly ZeroPadding2D? _pad;
    private readonly (float Lo, float Hi) _clamp;
    private readonly Conv2DGeometry _geometry;
    private float[] _kernel = Array.Empty<float>(), _bias = Array.Empty<float>();

    public DepthwiseStep(IReadOnlyList<Node> nodes, DepthwiseConv2D dw, ZeroPadding2D? pad, BatchNormalization? bn, (float, float) clamp,
        int[] inputs, int output) : base(inputs, output, nodes)
    {
        (_dw, _pad, _bn, _clamp) = (dw, pad, bn, clamp);
        _geometry = InferencePlanFolding.WithPadding(dw.Geometry, pad);
    }

    public override string Description =>
        $"DepthwiseConv2D {_dw.Name} {_geometry.KH}×{_geometry.KW}/{_geometry.StrideH}" + (_pad is null ? "" : $" ← pad {_pad.Name}") +
        (_bn is null ? "" : $" + BN {_bn.Name}") + InferencePlanFolding.ClampName(_clamp);

    public override void Refresh()
    {
        var k = _dw.DepthwiseKernel.Value.Span.ToArray();
        var bias = new float[_geometry.C * _dw.DepthMultiplier];
        _dw.Bias?.Value.Span.CopyTo(bias);
        InferencePlanFolding.FoldInto(_bn, k, bias);
        (_kernel, _bias) = (k, bias);
    }

    public override void Run(Tensor[] inputs, Tensor output)
    {
        var x = inputs[0];
        int n = x.Shape[0];
        if (_dw.DepthMultiplier == 1)
        {
            DepthwiseConv2DFused.Forward(_geometry, n, x.Span, _kernel, _bias, _clamp.Lo, _clamp.Hi, output.Span);
            return;
        }
        DepthwiseConv2DKernels.Forward(_geometry, n, _dw.DepthMultiplier, x.Span, _kernel, _bias, output.Span);
        ClampInPlace(output, _clamp);
    }
}
