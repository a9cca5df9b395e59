using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Marketplace.StripeFake;

namespace Marketplace.Payouts.Tests;

/// <summary>The fake behaves like Stripe where the app's exactly-once guarantees depend on it.</summary>
public sealed class FakeStripeServerTests : IAsyncLifetime
{
    private FakeStripeServer _stripe = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _stripe = await FakeStripeServer.StartAsync();
        _http = new HttpClient { BaseAddress = _stripe.BaseUrl };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", FakeStripeServer.SecretKey);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _stripe.DisposeAsync();
    }

    private async Task<(HttpStatusCode Status, JsonObject Body, bool Replayed)> PostAsync(string path, Dictionary<string, string> form, string? key, string? account = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(form) };
        if (key is not null)
        {
            request.Headers.Add("Idempotency-Key", key);
        }

        if (account is not null)
        {
            request.Headers.Add("Stripe-Account", account);
        }

        using var response = await _http.SendAsync(request);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        return (response.StatusCode, body, response.Headers.Contains("Idempotent-Replayed"));
    }

    [Fact]
    public async Task SameKeySameParameters_ReplaysTheFirstResponse_DifferentParametersIsAnIdempotencyError()
    {
        var account = _stripe.CreateConnectedAccount();
        var form = new Dictionary<string, string> { ["amount"] = "500", ["currency"] = "usd", ["destination"] = account };

        var first = await PostAsync("/v1/transfers", form, "k1");
        var replay = await PostAsync("/v1/transfers", form, "k1");
        var changed = await PostAsync("/v1/transfers", new(form) { ["amount"] = "501" }, "k1");

        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.False(first.Replayed);
        Assert.True(replay.Replayed);
        Assert.Equal((string?)first.Body["id"], (string?)replay.Body["id"]);
        Assert.Equal(HttpStatusCode.BadRequest, changed.Status);
        Assert.Equal("idempotency_error", (string?)changed.Body["error"]!["type"]);
        Assert.Single(_stripe.Transfers);
    }

    [Fact]
    public async Task TheSameKeyUnderAnotherStripeAccount_IsAnotherRequest()
    {
        var form = new Dictionary<string, string> { ["amount"] = "500", ["currency"] = "usd" };

        var platform = await PostAsync("/v1/payment_intents", form, "k1");
        var connected = await PostAsync("/v1/payment_intents", form, "k1", account: "acct_other");

        Assert.False(connected.Replayed);
        Assert.NotEqual((string?)platform.Body["id"], (string?)connected.Body["id"]);
        Assert.Equal("acct_other", _stripe.Requests[^1].StripeAccount);
    }

    [Fact]
    public async Task Errors_HaveStripesShape_AndInjectedFaultsDoNoWork()
    {
        _stripe.FailNext(1, 429);
        var account = _stripe.CreateConnectedAccount();

        var limited = await PostAsync("/v1/transfers", new() { ["amount"] = "500", ["currency"] = "usd", ["destination"] = account }, "k1");
        var missing = await PostAsync("/v1/transfers", new() { ["amount"] = "500", ["currency"] = "usd", ["destination"] = "acct_nobody" }, "k2");

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.Status);
        Assert.Equal("rate_limit_error", (string?)limited.Body["error"]!["type"]);
        Assert.Empty(_stripe.Transfers);
        Assert.Equal(HttpStatusCode.BadRequest, missing.Status);
        Assert.Equal("resource_missing", (string?)missing.Body["error"]!["code"]);
        Assert.Equal("destination", (string?)missing.Body["error"]!["param"]);
    }

    [Fact]
    public async Task WithoutASecretKey_TheRequestIsUnauthorized()
    {
        _http.DefaultRequestHeaders.Authorization = null;

        var response = await PostAsync("/v1/payment_intents", new() { ["amount"] = "1", ["currency"] = "usd" }, null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
    }

    [Fact]
    public async Task AKeyIsForgottenAfterADay_AndTransfersAreListedByGroup()
    {
        var now = DateTimeOffset.UtcNow;
        _stripe.Now = () => now;
        var account = _stripe.CreateConnectedAccount();
        var form = new Dictionary<string, string> { ["amount"] = "500", ["currency"] = "usd", ["destination"] = account, ["transfer_group"] = "payout-1" };

        await PostAsync("/v1/transfers", form, "k1");
        now += FakeStripeServer.IdempotencyWindow;
        var afterADay = await PostAsync("/v1/transfers", form, "k1");
        var listed = JsonNode.Parse(await _http.GetStringAsync("/v1/transfers?transfer_group=payout-1"))!["data"]!.AsArray();
        var others = JsonNode.Parse(await _http.GetStringAsync("/v1/transfers?transfer_group=payout-2"))!["data"]!.AsArray();

        Assert.False(afterADay.Replayed);
        Assert.Equal(2, _stripe.Transfers.Count);
        Assert.Equal(2, listed.Count);
        Assert.Empty(others);
    }

    [Fact]
    public async Task ScriptedFaults_HitOnlyTheirPath_InOrder()
    {
        var account = _stripe.CreateConnectedAccount();
        var form = new Dictionary<string, string> { ["amount"] = "500", ["currency"] = "usd", ["destination"] = account };
        _stripe.Script("POST", "/v1/transfers", FakeFault.Refuse(401), FakeFault.Corrupt);

        var other = await PostAsync("/v1/payment_intents", new() { ["amount"] = "1", ["currency"] = "usd" }, null);
        var refused = await PostAsync("/v1/transfers", form, "k1");
        using var corrupt = await _http.PostAsync("/v1/transfers", new FormUrlEncodedContent(form));
        var corruptBody = await corrupt.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, other.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.Status);
        Assert.Equal(HttpStatusCode.OK, corrupt.StatusCode);
        Assert.ThrowsAny<System.Text.Json.JsonException>(() => JsonNode.Parse(corruptBody));
        Assert.Single(_stripe.Transfers); // the corrupted answer's work was done
    }
}
