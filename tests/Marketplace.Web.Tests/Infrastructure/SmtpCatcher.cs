using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;

namespace Marketplace.Web.Tests.Infrastructure;

/// <summary>
/// A mail server for one test, on 127.0.0.1: it speaks just enough SMTP (RFC 5321, no TLS, no authentication) to take
/// the messages the app's real SMTP client sends, and hands each one's DATA over whole.
/// </summary>
public sealed class SmtpCatcher : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Channel<string> _messages = Channel.CreateUnbounded<string>();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _serving;

    public SmtpCatcher()
    {
        _listener.Start();
        _serving = ServeAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>The next message as it came over the wire: its headers, and its body with the transfer encoding undone.</summary>
    public async Task<(string Headers, string Body)> NextMessageAsync()
    {
        var data = await _messages.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(15));
        var split = data.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var (headers, body) = (data[..split], data[(split + 4)..]);
        if (headers.Contains("Content-Transfer-Encoding: base64", StringComparison.OrdinalIgnoreCase))
        {
            return (headers, Encoding.UTF8.GetString(Convert.FromBase64String(body.Replace("\r\n", "", StringComparison.Ordinal))));
        }

        if (headers.Contains("Content-Transfer-Encoding: quoted-printable", StringComparison.OrdinalIgnoreCase))
        {
            var bytes = new List<byte>();
            var text = body.Replace("=\r\n", "", StringComparison.Ordinal);
            for (var i = 0; i < text.Length; i++)
            {
                var hex = text[i] == '=' && i + 2 < text.Length;
                bytes.Add(hex ? Convert.ToByte(text.Substring(i + 1, 2), 16) : (byte)text[i]);
                i += hex ? 2 : 0;
            }

            return (headers, Encoding.UTF8.GetString([.. bytes]));
        }

        return (headers, body);
    }

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            using var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            await using var stream = client.GetStream();
            using var reader = new StreamReader(stream, Encoding.ASCII);
            await using var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
            await ConverseAsync(reader, writer);
        }
    }

    private async Task ConverseAsync(StreamReader reader, StreamWriter writer)
    {
        await writer.WriteLineAsync("220 localhost ready");
        while (await reader.ReadLineAsync(_stop.Token) is { } line)
        {
            var verb = line.Split(' ', 2)[0].ToUpperInvariant();
            if (verb == "DATA")
            {
                await writer.WriteLineAsync("354 end with <CRLF>.<CRLF>");
                var data = new StringBuilder();
                while (await reader.ReadLineAsync(_stop.Token) is { } body && body != ".")
                {
                    data.Append(body.StartsWith("..", StringComparison.Ordinal) ? body[1..] : body).Append("\r\n");
                }

                await _messages.Writer.WriteAsync(data.ToString(), _stop.Token);
                await writer.WriteLineAsync("250 queued");
            }
            else if (verb == "QUIT")
            {
                await writer.WriteLineAsync("221 bye");
                return;
            }
            else
            {
                await writer.WriteLineAsync("250 OK");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _serving;
        }
        catch (OperationCanceledException)
        {
        }
        catch (SocketException)
        {
        }

        _stop.Dispose();
    }
}
