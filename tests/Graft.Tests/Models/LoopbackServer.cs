using System.Net;
using System.Net.Sockets;

namespace Graft.Tests.Models;

/// <summary>
/// A static file server on 127.0.0.1 for download tests: serves a folder, counts requests, and can corrupt
/// one file on the way out.
/// </summary>
public sealed class LoopbackServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly string _root;
    private readonly Task _loop;
    private int _requests;

    public LoopbackServer(string root)
    {
        _root = Path.GetFullPath(root);
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        BaseUrl = $"http://127.0.0.1:{port}/";
        _listener.Prefixes.Add(BaseUrl);
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public string BaseUrl { get; }
    public int Requests => _requests;

    /// <summary>A path (relative to the root, '/'-separated) whose last byte is flipped when served.</summary>
    public string? CorruptPath { get; set; }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext ctx;
            try { ctx = await _listener.GetContextAsync(); }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException) { return; }
            Interlocked.Increment(ref _requests);
            try
            {
                var rel = Uri.UnescapeDataString(ctx.Request.Url!.AbsolutePath.TrimStart('/'));
                var file = Path.GetFullPath(Path.Combine(_root, rel));
                if (!file.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal) || !File.Exists(file))
                {
                    ctx.Response.StatusCode = 404;
                }
                else
                {
                    var bytes = await File.ReadAllBytesAsync(file);
                    if (rel == CorruptPath && bytes.Length > 0) bytes[^1] ^= 0xFF;
                    ctx.Response.ContentLength64 = bytes.Length;
                    await ctx.Response.OutputStream.WriteAsync(bytes);
                }
            }
            catch (HttpListenerException) { }
            finally
            {
                try { ctx.Response.Close(); } catch (HttpListenerException) { }
            }
        }
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        try { _loop.Wait(TimeSpan.FromSeconds(5)); } catch (AggregateException) { }
    }
}
