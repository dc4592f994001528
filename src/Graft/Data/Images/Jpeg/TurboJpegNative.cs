using System.Runtime.InteropServices;

namespace Graft.Data.Images.Jpeg;

/// <summary>
/// The TurboJPEG 2.x C API (libturbojpeg.so.0 on Debian), bound through function pointers so that the library
/// can be looked for under several names without claiming the assembly's single DllImport resolver.
/// Only the decompression calls are bound; the library is loaded on first use.
/// </summary>
internal static unsafe class TurboJpegNative
{
    // Pixel formats (TJPF_*), colour spaces (TJCS_*), flags (TJFLAG_*) and error codes (TJERR_*) from turbojpeg.h.
    public const int PixelFormatRgb = 0;
    public const int PixelFormatCmyk = 11;
    public const int ColorSpaceCmyk = 3;
    public const int ColorSpaceYcck = 4;
    /// <summary>Refuse progressive JPEGs with more than 500 scans: a cheap denial-of-service otherwise.</summary>
    public const int FlagLimitScans = 32768;
    public const int ErrorWarning = 0;

    [StructLayout(LayoutKind.Sequential)]
    public struct ScalingFactor
    {
        public int Num;
        public int Denom;
    }

    private sealed class Api
    {
        public delegate* unmanaged<nint> InitDecompress;
        public delegate* unmanaged<nint, byte*, CULong, int*, int*, int*, int*, int> DecompressHeader3;
        public delegate* unmanaged<nint, byte*, CULong, byte*, int, int, int, int, int, int> Decompress2;
        public delegate* unmanaged<nint, byte*> GetErrorStr2;
        public delegate* unmanaged<nint, int> GetErrorCode;
        public delegate* unmanaged<nint, int> Destroy;
    }

    private static readonly string[] s_names =
        ["libturbojpeg.so.0", "libturbojpeg.so", "libturbojpeg.0.dylib", "libturbojpeg.dylib", "turbojpeg.dll", "turbojpeg"];

    private static readonly Lazy<Api?> s_api = new(Load);

    public static bool IsAvailable => s_api.Value is not null;

    public const string MissingHint = "libturbojpeg (the TurboJPEG API of libjpeg-turbo) was not found. Hint: apt-get install libturbojpeg0, or run ./graft.sh setup.";

    private static Api? Load()
    {
        foreach (var name in s_names)
        {
            if (!NativeLibrary.TryLoad(name, typeof(TurboJpegNative).Assembly, null, out var lib)) continue;
            try
            {
                return new Api
                {
                    InitDecompress = (delegate* unmanaged<nint>)NativeLibrary.GetExport(lib, "tjInitDecompress"),
                    DecompressHeader3 = (delegate* unmanaged<nint, byte*, CULong, int*, int*, int*, int*, int>)NativeLibrary.GetExport(lib, "tjDecompressHeader3"),
                    Decompress2 = (delegate* unmanaged<nint, byte*, CULong, byte*, int, int, int, int, int, int>)NativeLibrary.GetExport(lib, "tjDecompress2"),
                    GetErrorStr2 = (delegate* unmanaged<nint, byte*>)NativeLibrary.GetExport(lib, "tjGetErrorStr2"),
                    GetErrorCode = (delegate* unmanaged<nint, int>)NativeLibrary.GetExport(lib, "tjGetErrorCode"),
                    Destroy = (delegate* unmanaged<nint, int>)NativeLibrary.GetExport(lib, "tjDestroy"),
                };
            }
            catch (EntryPointNotFoundException)
            {
                // A TurboJPEG older than 2.0 (no tjGetErrorCode): keep looking, then report it missing.
                NativeLibrary.Free(lib);
            }
        }
        return null;
    }

    private static Api Get() => s_api.Value ?? throw new DllNotFoundException(MissingHint);

    public static nint InitDecompress() => Get().InitDecompress();

    public static int DecompressHeader(nint h, byte* jpeg, nuint size, out int width, out int height, out int subsamp, out int colorspace)
    {
        int w, hh, s, c;
        int r = Get().DecompressHeader3(h, jpeg, new CULong(size), &w, &hh, &s, &c);
        (width, height, subsamp, colorspace) = (w, hh, s, c);
        return r;
    }

    public static int Decompress(nint h, byte* jpeg, nuint size, byte* dst, int width, int pitch, int height, int pixelFormat, int flags) =>
        Get().Decompress2(h, jpeg, new CULong(size), dst, width, pitch, height, pixelFormat, flags);

    public static string ErrorString(nint h) => Marshal.PtrToStringAnsi((nint)Get().GetErrorStr2(h)) ?? "unknown TurboJPEG error";
    public static int ErrorCode(nint h) => Get().GetErrorCode(h);
    public static int Destroy(nint h) => Get().Destroy(h);

    /// <summary>The DCT scaling factors Graft may use: 1/8, 1/4, 1/2 (libjpeg supports these for every image).</summary>
    public static ReadOnlySpan<int> ScaleDenominators => [8, 4, 2];
}
