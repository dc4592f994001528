namespace Graft.Transfer.Classifiers;

/// <summary>
/// Multinomial logistic regression with an L2 penalty on standardised features, fitted by L-BFGS on the
/// full batch: the classic "linear probe" on extracted features. The objective is scikit-learn's,
/// ½‖W‖² + C · Σᵢ cross-entropyᵢ (bias not penalised), so C means the same thing as there.
/// </summary>
public sealed class LogisticRegression
{
    private float[] _mean = Array.Empty<float>(), _std = Array.Empty<float>();
    private double[] _w = Array.Empty<double>(); // (D + 1) × K, last row is the bias

    public double C { get; init; } = 1.0;
    public int MaxIterations { get; init; } = 300;
    public double Tolerance { get; init; } = 1e-6;
    public int Dimension { get; private set; }
    public int Classes { get; private set; }
    public int Iterations { get; private set; }

    public LogisticRegression Fit(ReadOnlySpan<float> x, ReadOnlySpan<int> y, int dimension, int classes, CancellationToken cancel = default)
    {
        int n = y.Length;
        if (n == 0) throw new ArgumentException("Logistic regression needs at least one sample.");
        if (x.Length != n * dimension) throw new ArgumentException($"Expected {n} × {dimension} features. Received: {x.Length}.");
        Dimension = dimension;
        Classes = classes;
        (_mean, _std) = Standardisation(x, n, dimension);
        var xs = new float[x.Length];
        Standardise(x, xs);
        var labels = y.ToArray();
        var w = new double[(dimension + 1) * classes];
        Iterations = Lbfgs.Minimize(w, (wv, grad) => Objective(wv, grad, xs, labels, n), MaxIterations, Tolerance, cancel);
        _w = w;
        return this;
    }

    /// <summary>Class probabilities for each row of <paramref name="x"/>.</summary>
    public float[] PredictProba(ReadOnlySpan<float> x)
    {
        int n = x.Length / Dimension;
        var xs = new float[x.Length];
        Standardise(x, xs);
        var p = new float[n * Classes];
        var logits = new double[Classes];
        for (int i = 0; i < n; i++)
        {
            Logits(_w, xs.AsSpan(i * Dimension, Dimension), logits);
            SoftmaxInPlace(logits);
            for (int c = 0; c < Classes; c++) p[i * Classes + c] = (float)logits[c];
        }
        return p;
    }

    public int[] Predict(ReadOnlySpan<float> x)
    {
        var p = PredictProba(x);
        var result = new int[p.Length / Classes];
        for (int i = 0; i < result.Length; i++) result[i] = Metrics.Accuracy.ArgMax(p.AsSpan(i * Classes, Classes));
        return result;
    }

    /// <summary>The fitted weights and standardisation, for saving (weights are (D + 1) × K, bias last).</summary>
    public (float[] Mean, float[] Std, double[] Weights) State => (_mean, _std, _w);

    private double Objective(double[] w, double[] grad, float[] xs, int[] labels, int n)
    {
        int d = Dimension, k = Classes;
        Array.Clear(grad);
        double loss = 0;
        var logits = new double[k];
        for (int i = 0; i < n; i++)
        {
            var xi = xs.AsSpan(i * d, d);
            Logits(w, xi, logits);
            double max = logits.Max(), sum = 0;
            for (int c = 0; c < k; c++) sum += Math.Exp(logits[c] - max);
            loss += Math.Log(sum) + max - logits[labels[i]];
            for (int c = 0; c < k; c++)
            {
                double g = Math.Exp(logits[c] - max) / sum - (c == labels[i] ? 1 : 0);
                for (int j = 0; j < d; j++) grad[j * k + c] += g * xi[j];
                grad[d * k + c] += g;
            }
        }
        loss *= C;
        for (int i = 0; i < grad.Length; i++) grad[i] *= C;
        for (int i = 0; i < d * k; i++) { loss += 0.5 * w[i] * w[i]; grad[i] += w[i]; }
        return loss;
    }

    private void Logits(double[] w, ReadOnlySpan<float> xi, double[] logits)
    {
        int d = Dimension, k = Classes;
        for (int c = 0; c < k; c++) logits[c] = w[d * k + c];
        for (int j = 0; j < d; j++)
        {
            double v = xi[j];
            if (v == 0) continue;
            for (int c = 0; c < k; c++) logits[c] += v * w[j * k + c];
        }
    }

    private static void SoftmaxInPlace(double[] v)
    {
        double max = v.Max(), sum = 0;
        for (int i = 0; i < v.Length; i++) sum += v[i] = Math.Exp(v[i] - max);
        for (int i = 0; i < v.Length; i++) v[i] /= sum;
    }

    private static (float[] Mean, float[] Std) Standardisation(ReadOnlySpan<float> x, int n, int d)
    {
        var mean = new double[d];
        var sq = new double[d];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < d; j++) { double v = x[i * d + j]; mean[j] += v; sq[j] += v * v; }
        var m = new float[d];
        var s = new float[d];
        for (int j = 0; j < d; j++)
        {
            m[j] = (float)(mean[j] / n);
            double variance = Math.Max(0, sq[j] / n - m[j] * (double)m[j]);
            // A constant feature carries no information: keep it at zero instead of dividing by zero.
            s[j] = variance > 1e-12 ? (float)Math.Sqrt(variance) : 1f;
        }
        return (m, s);
    }

    private void Standardise(ReadOnlySpan<float> x, Span<float> xs)
    {
        int d = Dimension;
        for (int i = 0; i < x.Length; i++) xs[i] = (x[i] - _mean[i % d]) / _std[i % d];
    }
}
