
namespace Graft.Kernels;

/// <summary>
/// Forward and backward of element-wise activations over spans. Softmax works on rows of length
/// <c>rowLength</c> (the channel axis, last in NHWC). hard_sigmoid follows Keras 2 / TensorFlow.js
/// (clip(0.2x + 0.5, 0, 1)) because that is what imported models were trained with; hard_swish is
/// x · relu6(x + 3) / 6. Forward may run in place (x and y the same span).
/// </summary>
public static class Activations
{
    private const float SeluAlpha = 1.67326324f, SeluScale = 1.05070098f;

    public static void Forward(ActivationKind kind, ReadOnlySpan<float> x, Span<float> y, int rowLength)
    {
        switch (kind)
        {
            case ActivationKind.Linear: if (!x.Overlaps(y)) x.CopyTo(y); break;
            case ActivationKind.Relu: TensorPrimitives.Max(x, 0f, y); break;
            case ActivationKind.Relu6: TensorPrimitives.Clamp(x, 0f, 6f, y); break;
            case ActivationKind.Sigmoid: TensorPrimitives.Sigmoid(x, y); break;
            case ActivationKind.Tanh: TensorPrimitives.Tanh(x, y); break;
            case ActivationKind.Softmax:
                for (int r = 0; r + rowLength <= x.Length; r += rowLength)
                    SoftmaxRow(x.Slice(r, rowLength), y.Slice(r, rowLength));
                break;
            default:
                for (int i = 0; i < x.Length; i++) y[i] = Scalar(kind, x[i]);
                break;
        }
    }

    /// <summary>dx = dy · f'(x). Uses y = f(x) where that is cheaper. dx may alias dy.</summary>
    public static void Backward(ActivationKind kind, ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx, int rowLength)
    {
        switch (kind)
        {
            case ActivationKind.Linear: if (!dy.Overlaps(dx)) dy.CopyTo(dx); break;
            case ActivationKind.Relu:
                for (int i = 0; i < x.Length; i++) dx[i] = x[i] > 0 ? dy[i] : 0f;
                break;
            case ActivationKind.Relu6:
                for (int i = 0; i < x.Length; i++) dx[i] = x[i] > 0 && x[i] < 6f ? dy[i] : 0f;
                break;
            case ActivationKind.Sigmoid:
                for (int i = 0; i < x.Length; i++) dx[i] = dy[i] * y[i] * (1 - y[i]);
                break;
            case ActivationKind.Tanh:
                for (int i = 0; i < x.Length; i++) dx[i] = dy[i] * (1 - y[i] * y[i]);
                break;
            case ActivationKind.Softmax:
                for (int r = 0; r + rowLength <= x.Length; r += rowLength)
                {
                    var yr = y.Slice(r, rowLength);
                    var dyr = dy.Slice(r, rowLength);
                    float dot = TensorPrimitives.Dot(yr, dyr);
                    var dxr = dx.Slice(r, rowLength);
                    for (int i = 0; i < rowLength; i++) dxr[i] = yr[i] * (dyr[i] - dot);
                }
                break;
            default:
                for (int i = 0; i < x.Length; i++) dx[i] = dy[i] * ScalarDerivative(kind, x[i]);
                break;
        }
    }

    /// <summary>Softmax of one row, shifted by its maximum: TensorPrimitives.SoftMax overflows to NaN for logits near 100.</summary>
    public static void SoftmaxRow(ReadOnlySpan<float> x, Span<float> y)
    {
        if (x.Length == 0) return;
        float max = TensorPrimitives.Max(x);
        TensorPrimitives.Subtract(x, max, y);
        TensorPrimitives.Exp(y, y);
        TensorPrimitives.Divide(y, TensorPrimitives.Sum(y), y);
    }

    public static float Scalar(ActivationKind kind, float x) => kind switch
    {
        ActivationKind.Linear => x,
        ActivationKind.Relu => MathF.Max(x, 0),
        ActivationKind.Relu6 => Math.Clamp(x, 0, 6),
        ActivationKind.Sigmoid => 1f / (1f + MathF.Exp(-x)),
        ActivationKind.Tanh => MathF.Tanh(x),
        ActivationKind.Swish => x / (1f + MathF.Exp(-x)),
        ActivationKind.HardSigmoid => Math.Clamp(0.2f * x + 0.5f, 0, 1),
        ActivationKind.HardSwish => x * Math.Clamp(x + 3, 0, 6) / 6f,
        ActivationKind.Elu => x > 0 ? x : MathF.Exp(x) - 1,
        ActivationKind.Selu => SeluScale * (x > 0 ? x : SeluAlpha * (MathF.Exp(x) - 1)),
        ActivationKind.Softplus => x > 20 ? x : MathF.Log(1 + MathF.Exp(x)),
        ActivationKind.Gelu => 0.5f * x * (1 + Erf(x / MathF.Sqrt(2))),
        _ => throw new NotSupportedException($"Activation {kind} has no element-wise form."),
    };

    public static float ScalarDerivative(ActivationKind kind, float x)
    {
        switch (kind)
        {
            case ActivationKind.Linear: return 1;
            case ActivationKind.Relu: return x > 0 ? 1 : 0;
            case ActivationKind.Relu6: return x > 0 && x < 6 ? 1 : 0;
            case ActivationKind.Sigmoid: { float s = 1f / (1f + MathF.Exp(-x)); return s * (1 - s); }
            case ActivationKind.Tanh: { float t = MathF.Tanh(x); return 1 - t * t; }
            case ActivationKind.Swish: { float s = 1f / (1f + MathF.Exp(-x)); return s * (1 + x * (1 - s)); }
            case ActivationKind.HardSigmoid: return x > -2.5f && x < 2.5f ? 0.2f : 0;
            case ActivationKind.HardSwish: return x <= -3 ? 0 : x >= 3 ? 1 : (2 * x + 3) / 6f;
            case ActivationKind.Elu: return x > 0 ? 1 : MathF.Exp(x);
            case ActivationKind.Selu: return SeluScale * (x > 0 ? 1 : SeluAlpha * MathF.Exp(x));
            case ActivationKind.Softplus: return 1f / (1f + MathF.Exp(-x));
            case ActivationKind.Gelu:
            {
                float cdf = 0.5f * (1 + Erf(x / MathF.Sqrt(2)));
                float pdf = MathF.Exp(-0.5f * x * x) / MathF.Sqrt(2 * MathF.PI);
                return cdf + x * pdf;
            }
            default: throw new NotSupportedException($"Activation {kind} has no element-wise derivative.");
        }
    }

    // Abramowitz–Stegun 7.1.26 is too coarse for gradient checks; this uses the double-precision erf series via Math.
    private static float Erf(float x)
    {
        double t = 1.0 / (1.0 + 0.5 * Math.Abs(x));
        double y = 1 - t * Math.Exp(-x * x - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 +
            t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
        return (float)(x >= 0 ? y : -y);
    }
}
