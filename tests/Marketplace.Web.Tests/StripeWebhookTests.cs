using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Marketplace.Payouts;
using Marketplace.StripeFake;
using Marketplace.Web.Domain;
using Marketplace.Web.Jobs;
using Marketplace.Web.Payments;
using Marketplace.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Web.Tests;

/// <summary>
/// <c>/stripe/webhook</c> is open to anyone: it reads nothing it cannot afford before the signature is plausible, at
/// most the configured limit after, and a signed payment credits a job only when it is the payment that job asked for.
/// </summary>
public sealed class StripeWebhookTests : IAsyncLifetime
{
    private const int Limit = 256 * 1024;
    private const long Flood = 29L * 1024 * 1024;
    private FakeStripeServer _stripe = null!;
    private StripeSqliteApp _app = null!;

    public async Task InitializeAsync()
    {
        _stripe = await FakeStripeServer.StartAsync();
        _app = new StripeSqliteApp(_stripe.BaseUrl);
        await _app.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _stripe.DisposeAsync();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)] // chunked: no length to check, so reading stops at the limit
    public async Task Webhook_With29MegabytesAndAWellFormedButWrongSignature_Answers413_HavingReadAtMostTheLimit(bool declareLength)
    {
        var body = new FloodContent(Flood, declareLength);
        var signature = FakeStripeServer.Sign("{}", DateTimeOffset.UtcNow); // right shape and age, wrong payload

        using var response = await PostAsync(body, signature);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(_app.BodyBytesRead <= Limit + 1, $"the endpoint read {_app.BodyBytesRead:N0} bytes of {Flood:N0}");
        Assert.Equal(0, await _app.WithDbAsync(db => db.StripeEvents.CountAsync()));
    }

    [Theory]
    [InlineData("")]
    [InlineData("t=1,v1=00")]
    [InlineData("v1=0000000000000000000000000000000000000000000000000000000000000000")]
    public async Task Webhook_WithAMissingMalformedOrStaleSignature_IsRefusedBeforeTheBodyIsRead(string signature)
    {
        var body = new FloodContent(Flood, declareLength: false);

        using var response = await PostAsync(body, signature);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, _app.BodyBytesRead);
    }

    [Fact]
    public async Task Webhook_SixFloodsAtOnce_AreEachStoppedAtTheLimit()
    {
        var bodies = Enumerable.Range(0, 6).Select(_ => new FloodContent(Flood, declareLength: false)).ToList();
        var signature = FakeStripeServer.Sign("{}", DateTimeOffset.UtcNow);

        var responses = await Task.WhenAll(bodies.Select(b => PostAsync(b, signature)));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.RequestEntityTooLarge, r.StatusCode));
        Assert.True(_app.BodyBytesRead <= 6 * (Limit + 1), $"the endpoint read {_app.BodyBytesRead:N0} bytes of {6 * Flood:N0}");
    }

    [Theory]
    [InlineData("another currency")]
    [InlineData("a cancelled job")]
    public async Task PaymentSucceeded_SignedButNotWhatTheJobAskedFor_DoesNotFundIt(string mismatch)
    {
        var (buyer, job, intentId) = await DraftJobWithAPaymentAsync();
        var succeeded = _stripe.SucceedPaymentIntent(intentId);
        if (mismatch == "another currency")
        {
            var paid = JsonNode.Parse(succeeded.Json)!["data"]!["object"]!.AsObject();
            paid["currency"] = "jpy";
            succeeded = _stripe.CreateEvent("payment_intent.succeeded", paid);
        }
        else
        {
            (await buyer.Client.PostAsync($"/api/jobs/{job}/cancel", null)).EnsureSuccessStatusCode();
        }

        var client = _app.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await _stripe.DeliverAsync(client, new Uri(client.BaseAddress!, "/stripe/webhook"), succeeded)).StatusCode);
        var outcome = await ProcessAsync(succeeded.Id);

        Assert.StartsWith("refused", outcome, StringComparison.Ordinal);
        var escrow = (await buyer.Client.GetFromJsonAsync<EscrowView>($"/api/jobs/{job}/escrow", ApiJson.Options))!;
        Assert.Equal(0, escrow.BalanceMinor);
        Assert.Empty(escrow.Fundings);
        var status = await _app.WithDbAsync(db => db.Jobs.Where(j => j.Id == job).Select(j => j.Status).SingleAsync());
        Assert.Equal(mismatch == "another currency" ? JobStatus.Draft : JobStatus.Cancelled, status);
    }

    private async Task<(BrowserSession Buyer, Guid Job, string PaymentIntentId)> DraftJobWithAPaymentAsync()
    {
        var (_, buyer) = await _app.SignedInAsync(Roles.Buyer);
        var created = await buyer.Client.PostAsJsonAsync("/api/jobs", new { title = "Card", taskType = "SingleChoice", labels = new[] { "a", "b" }, payPerLabelMinor = 50, currency = "USD", redundancy = 1 }, ApiJson.Options);
        var job = (await created.Content.ReadFromJsonAsync<JobDetails>(ApiJson.Options))!;
        (await buyer.Client.PostAsync($"/api/jobs/{job.Id}/items", new StringContent("id,text\n1,one\n", System.Text.Encoding.UTF8, "text/csv"))).EnsureSuccessStatusCode();
        var view = (await (await buyer.Client.PostAsJsonAsync($"/api/jobs/{job.Id}/fund", new { }, ApiJson.Options)).Content.ReadFromJsonAsync<FundingView>(ApiJson.Options))!;
        return (buyer, job.Id, view.PaymentIntentId);
    }

    /// <summary>The endpoint queued the processing on Hangfire; run it here too, as a retry would (it is idempotent).</summary>
    private async Task<string> ProcessAsync(string eventId)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await _app.WithServiceAsync<ProcessStripeEvent, string>(p => p.ExecuteAsync(eventId));
            }
            catch (DbUpdateException) when (attempt < 3)
            {
            }
        }
    }

    private Task<HttpResponseMessage> PostAsync(HttpContent body, string signature)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/stripe/webhook") { Content = body };
        request.Headers.TryAddWithoutValidation("Stripe-Signature", signature);
        return _app.CreateClient().SendAsync(request);
    }

    /// <summary>A body of <c>length</c> bytes made as it is sent: the test itself holds none of it.</summary>
    private sealed class FloodContent(long length, bool declareLength) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
        {
            var chunk = new byte[16 * 1024];
            Array.Fill(chunk, (byte)'{');
            try
            {
                for (long sent = 0; sent < length; sent += chunk.Length)
                {
                    await stream.WriteAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, length - sent)));
                }
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
            {
                // The server answered and stopped listening.
            }
        }

        protected override bool TryComputeLength(out long size)
        {
            size = length;
            return declareLength;
        }
    }

    /// <summary>The app with real Stripe.net against the fake, counting the bytes the webhook endpoint reads from request bodies.</summary>
    private sealed class StripeSqliteApp(Uri stripe) : MarketplaceAppFactory
    {
        private readonly string _path = Path.Combine(Path.GetTempPath(), $"marketplace-webhook-{Guid.NewGuid():N}.db");
        private long _bodyBytesRead;

        public long BodyBytesRead => Interlocked.Read(ref _bodyBytesRead);

        public override Marketplace.Web.Data.DatabaseProvider Provider => Marketplace.Web.Data.DatabaseProvider.Sqlite;

        protected override string ConnectionString => $"Data Source={_path}";

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Stripe:SecretKey", FakeStripeServer.SecretKey);
            builder.UseSetting("Stripe:WebhookSecret", FakeStripeServer.WebhookSecret);
            builder.UseSetting("Stripe:ApiBase", stripe.ToString());
            builder.ConfigureServices(services => services.AddSingleton<IStartupFilter>(new CountWebhookReads(this)));
        }

        protected override Task DisposeDatabaseAsync()
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var file in new[] { _path, _path + "-wal", _path + "-shm" })
            {
                File.Delete(file);
            }

            return Task.CompletedTask;
        }

        private sealed class CountWebhookReads(StripeSqliteApp app) : IStartupFilter
        {
            public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => builder =>
            {
                builder.Use(async (context, inner) =>
                {
                    if (context.Request.Path == "/stripe/webhook")
                    {
                        context.Request.Body = new CountingStream(context.Request.Body, read => Interlocked.Add(ref app._bodyBytesRead, read));
                    }

                    await inner(context);
                });
                next(builder);
            };
        }
    }

    /// <summary>Reads through to the request body, reporting how many bytes each read returned.</summary>
    private sealed class CountingStream(Stream inner, Action<int> onRead) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await inner.ReadAsync(buffer, cancellationToken);
            onRead(read);
            return read;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("The app reads bodies asynchronously.");

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
