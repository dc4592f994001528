using System.Runtime.InteropServices;

namespace Graft.Data.Images.Jpeg;

/// <summary>Owns one TurboJPEG decompressor instance (tjhandle); freed with tjDestroy.</summary>
internal sealed class TurboJpegHandle : SafeHandle
{
    private TurboJpegHandle() : base(0, ownsHandle: true) { }

    public static TurboJpegHandle Create()
    {
        var h = new TurboJpegHandle();
        nint raw = TurboJpegNative.InitDecompress();
        if (raw == 0) throw new OutOfMemoryException("tjInitDecompress failed.");
        h.SetHandle(raw);
        return h;
    }

    public override bool IsInvalid => handle == 0;

    protected override bool ReleaseHandle() => TurboJpegNative.Destroy(handle) == 0;
}
