using Graft.Tensors;

namespace Graft.Layers;

/// <summary>Weight initializers with Keras's names and formulas, drawn from a seeded generator.</summary>
public static class Initializers
{
    /// <summary>Fan-in and fan-out as Keras computes them: receptive field × channels for kernels.</summary>
    public static (int FanIn, int FanOut) Fans(Shape shape)
    {
        if (shape.Rank == 0) return (1, 1);
        if (shape.Rank == 1) return (shape[0], shape[0]);
        if (shape.Rank == 2) return (shape[0], shape[1]);
        int receptive = 1;
        for (int i = 0; i < shape.Rank - 2; i++) receptive *= shape[i];
        return (shape[shape.Rank - 2] * receptive, shape[shape.Rank - 1] * receptive);
    }

    public static void GlorotUniform(Span<float> w, Shape shape, Random rng)
    {
        var (fanIn, fanOut) = Fans(shape);
        float limit = MathF.Sqrt(6f / Math.Max(1, fanIn + fanOut));
        Uniform(w, -limit, limit, rng);
    }

    public static void HeNormal(Span<float> w, Shape shape, Random rng)
    {
        var (fanIn, _) = Fans(shape);
        Normal(w, 0, MathF.Sqrt(2f / Math.Max(1, fanIn)), rng);
    }

    public static void Uniform(Span<float> w, float lo, float hi, Random rng)
    {
        for (int i = 0; i < w.Length; i++) w[i] = lo + (hi - lo) * (float)rng.NextDouble();
    }

    public static void Normal(Span<float> w, float mean, float std, Random rng)
    {
        for (int i = 0; i < w.Length; i++)
        {
            // Box–Muller; 1 - u keeps the logarithm finite.
            double u1 = 1.0 - rng.NextDouble(), u2 = rng.NextDouble();
            w[i] = mean + std * (float)(Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
        }
    }
}
