namespace Graft.Transfer.Classifiers;

/// <summary>
/// Limited-memory BFGS with a backtracking (Armijo) line search, in double precision: for the small,
/// smooth, convex problems of probes on features, where it converges in tens of iterations.
/// </summary>
internal static class Lbfgs
{
    /// <summary>Minimises f in place from <paramref name="x"/>; f writes its gradient and returns its value. Returns the iteration count.</summary>
    public static int Minimize(double[] x, Func<double[], double[], double> f, int maxIterations, double tolerance, CancellationToken cancel, int memory = 10)
    {
        int n = x.Length;
        var g = new double[n];
        double fx = f(x, g);
        var s = new List<double[]>();
        var y = new List<double[]>();
        var rho = new List<double>();
        var direction = new double[n];
        var xNew = new double[n];
        var gNew = new double[n];
        var alpha = new double[memory];
        int iteration = 0;
        for (; iteration < maxIterations; iteration++)
        {
            cancel.ThrowIfCancellationRequested();
            double gNorm = Math.Sqrt(Dot(g, g));
            if (gNorm < tolerance * Math.Max(1, Math.Sqrt(Dot(x, x)))) break;

            // Two-loop recursion: direction = −H·g.
            for (int i = 0; i < n; i++) direction[i] = -g[i];
            for (int j = s.Count - 1; j >= 0; j--)
            {
                alpha[j] = rho[j] * Dot(s[j], direction);
                Axpy(-alpha[j], y[j], direction);
            }
            if (s.Count > 0)
            {
                double scale = Dot(s[^1], y[^1]) / Dot(y[^1], y[^1]);
                for (int i = 0; i < n; i++) direction[i] *= scale;
            }
            else
            {
                for (int i = 0; i < n; i++) direction[i] /= Math.Max(1, gNorm);
            }
            for (int j = 0; j < s.Count; j++)
            {
                double beta = rho[j] * Dot(y[j], direction);
                Axpy(alpha[j] - beta, s[j], direction);
            }

            double slope = Dot(g, direction);
            if (slope >= 0)
            {
                // Not a descent direction (curvature information went stale): restart from steepest descent.
                s.Clear(); y.Clear(); rho.Clear();
                for (int i = 0; i < n; i++) direction[i] = -g[i] / Math.Max(1, gNorm);
                slope = Dot(g, direction);
            }
            double step = 1, fNew;
            while (true)
            {
                for (int i = 0; i < n; i++) xNew[i] = x[i] + step * direction[i];
                fNew = f(xNew, gNew);
                if (fNew <= fx + 1e-4 * step * slope || step < 1e-12) break;
                step *= 0.5;
            }
            if (step < 1e-12) break;

            var sk = new double[n];
            var yk = new double[n];
            for (int i = 0; i < n; i++) { sk[i] = xNew[i] - x[i]; yk[i] = gNew[i] - g[i]; }
            double sy = Dot(sk, yk);
            if (sy > 1e-10)
            {
                if (s.Count == memory) { s.RemoveAt(0); y.RemoveAt(0); rho.RemoveAt(0); }
                s.Add(sk); y.Add(yk); rho.Add(1 / sy);
            }
            bool converged = Math.Abs(fx - fNew) <= tolerance * Math.Max(1, Math.Abs(fx));
            Array.Copy(xNew, x, n);
            Array.Copy(gNew, g, n);
            fx = fNew;
            if (converged) { iteration++; break; }
        }
        return iteration;
    }

    private static double Dot(double[] a, double[] b)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++) s += a[i] * b[i];
        return s;
    }

    private static void Axpy(double a, double[] x, double[] y)
    {
        for (int i = 0; i < x.Length; i++) y[i] += a * x[i];
    }
}
