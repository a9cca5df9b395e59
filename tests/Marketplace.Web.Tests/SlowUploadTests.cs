using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Marketplace.Web.Domain;
using Marketplace.Web.Tests.Infrastructure;

namespace Marketplace.Web.Tests;

/// <summary>
/// Issue 20, finding 1, on SQLite (one writer for the whole app): an upload whose client stalls mid-file must hold no
/// lock. It used to open its write transaction before reading the body, so every other write waited and failed.
/// </summary>
public sealed class SlowUploadTests(SqliteAppFactory app) : IClassFixture<SqliteAppFactory>
{
    [Fact]
    public async Task AStalledUpload_HoldsNoLock_WhileOtherBuyersAndSignUpsWrite()
    {
        var (_, browser) = await app.SignedInAsync(Roles.Buyer);
        var job = await CreateJobAsync(browser, "Slow upload");
        var body = new StallingStream("id,text\nitem-1,first\n", "item-2,second\n");
        using var content = new StreamContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");

        var uploading = browser.Client.PostAsync($"/api/jobs/{job}/items", content);
        await body.FirstPartRead.WaitAsync(TimeSpan.FromSeconds(30));

        // The upload now waits on its client. Writes by others go on (SQLite's busy timeout is 30 s: a held lock
        // would fail them with "database is locked" after that; the guard below is only against a hang).
        var (_, other) = await app.SignedInAsync(Roles.Buyer).WaitAsync(TimeSpan.FromSeconds(20));
        var signUp = await new BrowserSession(app.CreateBrowserClient()).SignUpAsync(Roles.Contributor, $"late-{Guid.NewGuid():N}@example.test").WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(HttpStatusCode.Redirect, signUp.StatusCode);
        await CreateJobAsync(other, "Someone else's job").WaitAsync(TimeSpan.FromSeconds(20));
        Assert.False(uploading.IsCompleted);

        body.Resume();
        var uploaded = await uploading;
        Assert.True(uploaded.StatusCode == HttpStatusCode.OK, await uploaded.Content.ReadAsStringAsync());
        Assert.Equal(2, (await uploaded.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("imported").GetInt32());
    }

    private static async Task<Guid> CreateJobAsync(BrowserSession buyer, string title)
    {
        var response = await buyer.Client.PostAsJsonAsync("/api/jobs", new { title, taskType = "SingleChoice", labels = new[] { "a", "b" }, payPerLabelMinor = 5, currency = "USD" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    /// <summary>A request body that sends its first part, then stalls (as a client on a dying link would) until resumed.</summary>
    private sealed class StallingStream(string first, string rest) : Stream
    {
        private readonly TaskCompletionSource _firstRead = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _resumed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly byte[] _first = Encoding.UTF8.GetBytes(first);
        private readonly byte[] _rest = Encoding.UTF8.GetBytes(rest);
        private int _position;

        public Task FirstPartRead => _firstRead.Task;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public void Resume() => _resumed.TrySetResult();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_position == _first.Length)
            {
                _firstRead.TrySetResult();
                await _resumed.Task.WaitAsync(cancellationToken);
            }

            var source = _position < _first.Length ? _first.AsMemory(_position) : _rest.AsMemory(_position - _first.Length);
            var count = Math.Min(source.Length, buffer.Length);
            source[..count].CopyTo(buffer);
            _position += count;
            return count;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
