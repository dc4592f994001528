using Graft.Kernels;
using Graft.Layers;

namespace Graft.Graph;

/// <summary>
/// The algebra behind the plan's fusions. An inference-mode BatchNorm is a per-channel affine map
/// y = z · s + t with s = γ / √(σ² + ε), t = β − μ · s; after a convolution z = conv(x, W) + b it folds into
/// W' = W · s (per output channel) and b' = b · s + t. ReLU (no slope, no threshold, optional max) and
/// ReLU6 are clamps to [0, max], which the kernels apply on their way out.
/// </summary>
internal static class InferencePlanFolding
{
    /// <summary>(scale, shift) of <paramref name="bn"/> in inference mode, computed as the layer does.</summary>
    public static (float[] Scale, float[] Shift) BatchNormAffine(BatchNormalization bn)
    {
        int c = bn.MovingMean.Shape.Size;
        var scale = new float[c];
        var shift = new float[c];
        var mean = bn.MovingMean.Value.Span;
        var variance = bn.MovingVariance.Value.Span;
        for (int i = 0; i < c; i++)
        {
            float invStd = 1f / MathF.Sqrt(variance[i] + bn.Epsilon);
            float g = bn.Gamma?.Value[i] ?? 1f, b = bn.Beta?.Value[i] ?? 0f;
            scale[i] = g * invStd;
            shift[i] = b - mean[i] * scale[i];
        }
        return (scale, shift);
    }

    /// <summary>
    /// Folds an optional BatchNorm into weights laid out with the output channel last (HWIO, or a depthwise
    /// kernel (KH, KW, C·DM) seen flat) and into a bias of one value per output channel.
    /// </summary>
    public static void FoldInto(BatchNormalization? bn, Span<float> weights, Span<float> bias)
    {
        if (bn is null) return;
        var (scale, shift) = BatchNormAffine(bn);
        int c = bias.Length;
        for (int i = 0; i < weights.Length; i++) weights[i] *= scale[i % c];
        for (int i = 0; i < c; i++) bias[i] = bias[i] * scale[i] + shift[i];
    }

    /// <summary>The clamp an activation layer amounts to, or null when it is not one (leaky, thresholded, sigmoid...).</summary>
    public static (float Lo, float Hi)? AsClamp(Layer layer) => layer switch
    {
        ReLU r when r.NegativeSlope == 0 && r.Threshold == 0 => (0f, r.MaxValue ?? float.PositiveInfinity),
        Activation a => AsClamp(a.Kind),
        _ => null,
    };

    public static (float Lo, float Hi)? AsClamp(ActivationKind kind) => kind switch
    {
        ActivationKind.Linear => (float.NegativeInfinity, float.PositiveInfinity),
        ActivationKind.Relu => (0f, float.PositiveInfinity),
        ActivationKind.Relu6 => (0f, 6f),
        _ => null,
    };

    /// <summary>The geometry of a convolution whose ZeroPadding2D input is folded into its own padding.</summary>
    public static Conv2DGeometry WithPadding(Conv2DGeometry g, ZeroPadding2D? pad)
    {
        if (pad is null) return g;
        return Conv2DGeometry.Create(g.H - pad.Top - pad.Bottom, g.W - pad.Left - pad.Right, g.C, g.KH, g.KW, g.StrideH, g.StrideW,
            g.DilationH, g.DilationW, Padding2D.Explicit(g.PadTop + pad.Top, g.PadBottom + pad.Bottom, g.PadLeft + pad.Left, g.PadRight + pad.Right));
    }

    public static string ClampName((float Lo, float Hi) c) =>
        float.IsNegativeInfinity(c.Lo) ? "" : float.IsPositiveInfinity(c.Hi) ? " + ReLU" : $" + ReLU{c.Hi:0.##}";
}
