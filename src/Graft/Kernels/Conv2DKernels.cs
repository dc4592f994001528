namespace Graft.Kernels;

/// <summary>
/// Dense 2-D convolution (groups = 1). N: batch; H, W, CIN: input (NHWC); KH, KW, CIN, COUT: kernel (HWIO, as Keras);
/// OH, OW, COUT: output; K = KH·KW·CIN. Geometry (strides, dilation, resolved padding) comes in a
/// <see cref="Conv2DGeometry"/> whose C is CIN.
/// A pointwise conv (1×1, stride 1, no padding) is one GEMM over the NHWC buffer, since pixels are GEMM rows.
/// Others go through <see cref="Im2Col"/> into a reused per-thread scratch, a chunk of output rows at a time so the
/// scratch stays under <see cref="ScratchFloats"/> whatever the batch and image size.
/// </summary>
public static unsafe class Conv2DKernels
{
    /// <summary>Column-matrix budget in floats (16 MiB); at least one output row is processed per chunk.</summary>
    internal static int ScratchFloats = 1 << 22;

    [ThreadStatic] private static float[]? t_columns;

    /// <summary>y = conv(x, kernel) + bias. x: (N, H, W, CIN); kernel: (KH, KW, CIN, COUT); bias: (COUT) or empty; y: (N, OH, OW, COUT).</summary>
    public static void Forward(in Conv2DGeometry g, int n, int cout, ReadOnlySpan<float> x, ReadOnlySpan<float> kernel,
        ReadOnlySpan<float> bias, Span<float> y)
    {
        CheckSizes(g, n, cout, x.Length, kernel.Length, y.Length);
        if (!bias.IsEmpty && bias.Length != cout) throw new ArgumentException($"Bias length must be COUT = {cout}. Received: {bias.Length}.");
        int k = g.KH * g.KW * g.C, pixels = n * g.OH * g.OW;
        if (!bias.IsEmpty)
            for (int p = 0; p < pixels; p++) bias.CopyTo(y.Slice(p * cout, cout));
        float beta = bias.IsEmpty ? 0f : 1f;
        if (g.IsPointwise)
        {
            Gemm.Sgemm(false, false, pixels, cout, k, 1f, x, k, kernel, cout, beta, y, cout);
            return;
        }
        int units = n * g.OH, perChunk = UnitsPerChunk(g, k);
        var cols = Columns(Math.Min(units, perChunk) * g.OW * k);
        var geo = g;
        fixed (float* px = x)
        fixed (float* pc = cols)
        {
            nint xAddr = (nint)px, cAddr = (nint)pc;
            for (int u0 = 0; u0 < units; u0 += perChunk)
            {
                int u1 = Math.Min(units, u0 + perChunk), rows = (u1 - u0) * g.OW, first = u0;
                Parallelism.ForChunks(u1 - u0, (a, b) => Im2Col.Pack(geo, (float*)xAddr, (float*)cAddr, first, first + a, first + b), (long)g.OW * k);
                Gemm.Sgemm(false, false, rows, cout, k, 1f, new ReadOnlySpan<float>(pc, rows * k), k, kernel, cout,
                    beta, y.Slice(u0 * g.OW * cout, rows * cout), cout);
            }
        }
    }

    /// <summary>dx = dL/dx (overwritten) from dy: (N, OH, OW, COUT) and kernel: (KH, KW, CIN, COUT).</summary>
    public static void BackwardInput(in Conv2DGeometry g, int n, int cout, ReadOnlySpan<float> dy, ReadOnlySpan<float> kernel, Span<float> dx)
    {
        CheckSizes(g, n, cout, dx.Length, kernel.Length, dy.Length);
        int k = g.KH * g.KW * g.C;
        if (g.IsPointwise)
        {
            Gemm.Sgemm(false, true, n * g.H * g.W, k, cout, 1f, dy, cout, kernel, cout, 0f, dx, k);
            return;
        }
        dx.Clear();
        int units = n * g.OH, perChunk = UnitsPerChunk(g, k);
        var cols = Columns(Math.Min(units, perChunk) * g.OW * k);
        var geo = g;
        fixed (float* pdx = dx)
        fixed (float* pc = cols)
        {
            nint dxAddr = (nint)pdx, cAddr = (nint)pc;
            for (int u0 = 0; u0 < units; u0 += perChunk)
            {
                int u1 = Math.Min(units, u0 + perChunk), rows = (u1 - u0) * g.OW, lo = u0, hi = u1;
                Gemm.Sgemm(false, true, rows, k, cout, 1f, dy.Slice(u0 * g.OW * cout, rows * cout), cout, kernel, cout,
                    0f, new Span<float>(pc, rows * k), k);
                // Input rows of the images this chunk touches; rows it does not reach are skipped inside.
                int r0 = u0 / g.OH * g.H, r1 = ((u1 - 1) / g.OH + 1) * g.H;
                Parallelism.ForChunks(r1 - r0, (a, b) => Im2Col.AccumulateInputRows(geo, (float*)cAddr, (float*)dxAddr, lo, hi, r0 + a, r0 + b),
                    (long)g.W * g.KH * g.KW * g.C);
            }
        }
    }

    /// <summary>dKernel += dL/dKernel from x: (N, H, W, CIN) and dy: (N, OH, OW, COUT); dBias (COUT) += Σ dy when not empty.</summary>
    public static void BackwardWeights(in Conv2DGeometry g, int n, int cout, ReadOnlySpan<float> x, ReadOnlySpan<float> dy,
        Span<float> dKernel, Span<float> dBias)
    {
        CheckSizes(g, n, cout, x.Length, dKernel.Length, dy.Length);
        if (!dBias.IsEmpty) AccumulateBiasGradient(dy, cout, dBias);
        int k = g.KH * g.KW * g.C;
        if (g.IsPointwise)
        {
            Gemm.Sgemm(true, false, k, cout, n * g.H * g.W, 1f, x, k, dy, cout, 1f, dKernel, cout);
            return;
        }
        int units = n * g.OH, perChunk = UnitsPerChunk(g, k);
        var cols = Columns(Math.Min(units, perChunk) * g.OW * k);
        var geo = g;
        fixed (float* px = x)
        fixed (float* pc = cols)
        {
            nint xAddr = (nint)px, cAddr = (nint)pc;
            for (int u0 = 0; u0 < units; u0 += perChunk)
            {
                int u1 = Math.Min(units, u0 + perChunk), rows = (u1 - u0) * g.OW, first = u0;
                Parallelism.ForChunks(u1 - u0, (a, b) => Im2Col.Pack(geo, (float*)xAddr, (float*)cAddr, first, first + a, first + b), (long)g.OW * k);
                Gemm.Sgemm(true, false, k, cout, rows, 1f, new ReadOnlySpan<float>(pc, rows * k), k,
                    dy.Slice(u0 * g.OW * cout, rows * cout), cout, 1f, dKernel, cout);
            }
        }
    }

    /// <summary>dBias[c] += Σ over pixels of dy[pixel, c]; dy has <paramref name="channels"/> values per pixel.</summary>
    public static void AccumulateBiasGradient(ReadOnlySpan<float> dy, int channels, Span<float> dBias)
    {
        for (int p = 0; p + channels <= dy.Length; p += channels)
            TensorPrimitives.Add(dBias, dy.Slice(p, channels), dBias);
    }

    private static int UnitsPerChunk(in Conv2DGeometry g, int k) => Math.Max(1, ScratchFloats / Math.Max(1, g.OW * k));

    private static float[] Columns(int length)
    {
        var a = t_columns;
        if (a is null || a.Length < length) t_columns = a = GC.AllocateUninitializedArray<float>(length);
        return a;
    }

    private static void CheckSizes(in Conv2DGeometry g, int n, int cout, int xLength, int kernelLength, int yLength)
    {
        if (!g.Fits) throw new ArgumentException($"The {g.KH}×{g.KW} window does not fit the {g.H}×{g.W} input with this padding.");
        if (xLength != n * g.H * g.W * g.C || kernelLength != g.KH * g.KW * g.C * cout || yLength != n * g.OH * g.OW * cout)
            throw new ArgumentException(
                $"Conv2D buffers do not match the geometry: expected x {n * g.H * g.W * g.C}, kernel {g.KH * g.KW * g.C * cout}, y {n * g.OH * g.OW * cout} values. " +
                $"Received: {xLength}, {kernelLength}, {yLength}.");
    }
}
