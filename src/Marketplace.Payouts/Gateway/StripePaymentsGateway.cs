using System.Globalization;
using System.Net;
using Stripe;

namespace Marketplace.Payouts;

/// <summary>The real gateway: Stripe.net over an HTTP client that rate-limits and retries (see <see cref="StripeResilienceHandler"/>).</summary>
internal sealed class StripePaymentsGateway(IStripeClient client) : IPaymentsGateway
{
    internal const string JobIdKey = "job_id";
    internal const string FundingIdKey = "funding_id";
    internal const string PayoutIdKey = "payout_id";
    internal const string ContributorIdKey = "contributor_id";
    internal const string RefundIdKey = "refund_id";
    internal const string ClawbackIdKey = "clawback_id";

    public bool IsDryRun => false;

    internal static string TransferGroupOf(Guid payoutId) => $"payout-{payoutId:N}";

    public Task<GatewayResult<GatewayPaymentIntent>> CreatePaymentIntentAsync(PaymentIntentRequest request, string idempotencyKey, CancellationToken ct = default) =>
        CreateAsync(async () =>
        {
            var intent = await new PaymentIntentService(client).CreateAsync(
                new PaymentIntentCreateOptions
                {
                    Amount = request.Amount.MinorUnits,
                    Currency = request.Amount.Currency.ToLowerInvariant(),
                    Description = request.Description,
                    AutomaticPaymentMethods = new PaymentIntentAutomaticPaymentMethodsOptions { Enabled = true },
                    Metadata = new Dictionary<string, string> { [JobIdKey] = request.JobId.ToString(), [FundingIdKey] = request.FundingId.ToString() },
                },
                Keyed(idempotencyKey),
                ct);
            return ToIntent(intent);
        });

    public Task<GatewayPaymentIntent?> GetPaymentIntentAsync(string paymentIntentId, CancellationToken ct = default) =>
        GetAsync(async () => ToIntent(await new PaymentIntentService(client).GetAsync(paymentIntentId, cancellationToken: ct)));

    public Task<GatewayResult<GatewayTransfer>> CreateTransferAsync(TransferRequest request, string idempotencyKey, CancellationToken ct = default) =>
        CreateAsync(async () =>
        {
            var transfer = await new TransferService(client).CreateAsync(
                new TransferCreateOptions
                {
                    Amount = request.Amount.MinorUnits,
                    Currency = request.Amount.Currency.ToLowerInvariant(),
                    Destination = request.DestinationAccountId,
                    TransferGroup = TransferGroupOf(request.PayoutId),
                    Metadata = new Dictionary<string, string>
                    {
                        [PayoutIdKey] = request.PayoutId.ToString(),
                        [ContributorIdKey] = request.ContributorId,
                    },
                },
                Keyed(idempotencyKey),
                ct);
            return ToTransfer(transfer);
        });

    public Task<GatewayResult<GatewayTransferReversal>> ReverseTransferAsync(TransferReversalRequest request, string idempotencyKey, CancellationToken ct = default) =>
        CreateAsync(async () =>
        {
            var reversal = await new TransferReversalService(client).CreateAsync(
                request.TransferId,
                new TransferReversalCreateOptions
                {
                    Amount = request.Amount.MinorUnits,
                    Description = request.Reason.Length > 350 ? request.Reason[..350] : request.Reason,
                    Metadata = new Dictionary<string, string>
                    {
                        [PayoutIdKey] = request.PayoutId.ToString(),
                        [ClawbackIdKey] = request.ClawbackId.ToString(),
                    },
                },
                Keyed(idempotencyKey),
                ct);
            return new GatewayTransferReversal(reversal.Id, request.TransferId, new Money(reversal.Amount, reversal.Currency.ToUpperInvariant()));
        });

    public Task<GatewayTransfer?> GetTransferAsync(string transferId, CancellationToken ct = default) =>
        GetAsync(async () => ToTransfer(await new TransferService(client).GetAsync(transferId, cancellationToken: ct)));

    public Task<GatewayLookup<IReadOnlyList<GatewayTransfer>>> FindPayoutTransfersAsync(PayoutTransferQuery query, CancellationToken ct = default) =>
        LookupAsync<IReadOnlyList<GatewayTransfer>>(async () =>
        {
            var service = new TransferService(client);
            var found = new List<GatewayTransfer>();
            await foreach (var transfer in service.ListAutoPagingAsync(new TransferListOptions { TransferGroup = TransferGroupOf(query.PayoutId), Limit = 100 }, cancellationToken: ct))
            {
                found.Add(ToTransfer(transfer));
            }

            if (found.Count == 0)
            {
                // A transfer made without its group (by an older version, or by hand) still names the payout in its metadata.
                var since = new TransferListOptions { Destination = query.DestinationAccountId, Created = new DateRangeOptions { GreaterThanOrEqual = query.CreatedSince.AddMinutes(-5) }, Limit = 100 };
                await foreach (var transfer in service.ListAutoPagingAsync(since, cancellationToken: ct))
                {
                    if (ToTransfer(transfer) is { } candidate && candidate.PayoutId == query.PayoutId)
                    {
                        found.Add(candidate);
                    }
                }
            }

            return found;
        });

    public Task<GatewayLookup<GatewayTransferReversal>> FindClawbackReversalAsync(string transferId, Guid clawbackId, CancellationToken ct = default) =>
        LookupAsync(async () =>
        {
            await foreach (var reversal in new TransferReversalService(client).ListAutoPagingAsync(transferId, new TransferReversalListOptions { Limit = 100 }, cancellationToken: ct))
            {
                if (reversal.Metadata?.TryGetValue(ClawbackIdKey, out var id) == true && id == clawbackId.ToString())
                {
                    return new GatewayTransferReversal(reversal.Id, transferId, new Money(reversal.Amount, reversal.Currency.ToUpperInvariant()));
                }
            }

            return null;
        });

    public async Task<IReadOnlyList<GatewayTransfer>> ListTransfersAsync(DateTime from, DateTime to, CancellationToken ct = default)
    {
        try
        {
            var options = new TransferListOptions
            {
                Limit = 100,
                Created = new DateRangeOptions { GreaterThanOrEqual = from, LessThan = to },
            };
            var transfers = new List<GatewayTransfer>();
            await foreach (var transfer in new TransferService(client).ListAutoPagingAsync(options, cancellationToken: ct))
            {
                transfers.Add(ToTransfer(transfer));
            }

            return transfers;
        }
        catch (StripeException e) when (IsTransient(e))
        {
            throw Unavailable(e);
        }
    }

    public Task<GatewayResult<GatewayRefund>> CreateRefundAsync(RefundRequest request, string idempotencyKey, CancellationToken ct = default) =>
        CreateAsync(async () =>
        {
            var refund = await new RefundService(client).CreateAsync(
                new RefundCreateOptions
                {
                    PaymentIntent = request.PaymentIntentId,
                    Amount = request.Amount.MinorUnits,
                    Metadata = new Dictionary<string, string> { [RefundIdKey] = request.RefundId.ToString(), [JobIdKey] = request.JobId.ToString() },
                },
                Keyed(idempotencyKey),
                ct);
            return new GatewayRefund(refund.Id, new Money(refund.Amount, refund.Currency), refund.Status, refund.PaymentIntentId);
        });

    public Task<GatewayResult<GatewayAccount>> CreateExpressAccountAsync(ExpressAccountRequest request, string idempotencyKey, CancellationToken ct = default) =>
        CreateAsync(async () =>
        {
            var account = await new AccountService(client).CreateAsync(
                new AccountCreateOptions
                {
                    Type = "express",
                    Email = request.Email,
                    Country = request.Country,
                    Capabilities = new AccountCapabilitiesOptions { Transfers = new AccountCapabilitiesTransfersOptions { Requested = true } },
                    Metadata = new Dictionary<string, string> { [ContributorIdKey] = request.ContributorId },
                },
                Keyed(idempotencyKey),
                ct);
            return new GatewayAccount(account.Id, account.PayoutsEnabled, account.DetailsSubmitted);
        });

    public async Task<Uri> CreateOnboardingLinkAsync(string accountId, Uri refreshUrl, Uri returnUrl, CancellationToken ct = default)
    {
        try
        {
            var link = await new AccountLinkService(client).CreateAsync(
                new AccountLinkCreateOptions { Account = accountId, RefreshUrl = refreshUrl.ToString(), ReturnUrl = returnUrl.ToString(), Type = "account_onboarding" },
                cancellationToken: ct);
            return new Uri(link.Url);
        }
        catch (StripeException e) when (IsTransient(e))
        {
            throw Unavailable(e);
        }
    }

    internal static GatewayTransfer ToTransfer(Transfer transfer) => new(
        transfer.Id,
        new Money(transfer.Amount, transfer.Currency),
        transfer.DestinationId,
        transfer.Metadata?.TryGetValue(PayoutIdKey, out var payoutId) == true && Guid.TryParse(payoutId, out var id) ? id : null,
        DateTime.SpecifyKind(transfer.Created, DateTimeKind.Utc),
        transfer.Reversed);

    internal static GatewayPaymentIntent ToIntent(PaymentIntent intent) => new(
        intent.Id,
        new Money(intent.Amount, intent.Currency),
        intent.Status,
        intent.ClientSecret,
        intent.Metadata?.TryGetValue(JobIdKey, out var jobId) == true && Guid.TryParse(jobId, out var id) ? id : null,
        DateTime.SpecifyKind(intent.Created, DateTimeKind.Utc));

    private static RequestOptions Keyed(string idempotencyKey) => new() { IdempotencyKey = idempotencyKey };

    private static async Task<GatewayResult<T>> CreateAsync<T>(Func<Task<T>> call)
        where T : class
    {
        try
        {
            return GatewayResult<T>.Success(await call());
        }
        catch (StripeException e) when (IsTransient(e))
        {
            throw Unavailable(e);
        }
        catch (StripeException e) when (IsDefinitive(e))
        {
            return GatewayResult<T>.Declined(e.StripeError?.Code ?? e.StripeError!.Type, e.StripeError?.Message ?? e.Message);
        }
        catch (StripeException e)
        {
            // 401 after a key rotation, idempotency_error, a 200 that could not be read: nothing certain about the work.
            var code = e.StripeError?.Type ?? ((int)e.HttpStatusCode).ToString(CultureInfo.InvariantCulture);
            return GatewayResult<T>.Unknown(code, e.StripeError?.Message ?? e.Message);
        }
    }

    /// <summary>
    /// Stripe looked at this request and refused it: a request error or a card error, 400, 402 or 404. Within the key's
    /// window a refused request stored no result, so a replay of an earlier send would have answered instead.
    /// </summary>
    private static bool IsDefinitive(StripeException e) =>
        e.StripeError is { Type: "invalid_request_error" or "card_error" }
        && e.HttpStatusCode is HttpStatusCode.BadRequest or HttpStatusCode.PaymentRequired or HttpStatusCode.NotFound;

    private static async Task<GatewayLookup<T>> LookupAsync<T>(Func<Task<T?>> call)
        where T : class
    {
        try
        {
            return GatewayLookup<T>.Of(await call());
        }
        catch (StripeException e) when (IsTransient(e))
        {
            throw Unavailable(e);
        }
        catch (StripeException e)
        {
            return GatewayLookup<T>.Unanswered($"{(int)e.HttpStatusCode} {e.StripeError?.Type}: {e.StripeError?.Message ?? e.Message}");
        }
    }

    private static async Task<T?> GetAsync<T>(Func<Task<T>> call)
        where T : class
    {
        try
        {
            return await call();
        }
        catch (StripeException e) when (e.HttpStatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        catch (StripeException e) when (IsTransient(e))
        {
            throw Unavailable(e);
        }
    }

    private static bool IsTransient(StripeException e) =>
        e.HttpStatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.Conflict or 0
        || (int)e.HttpStatusCode >= 500
        || e.InnerException is HttpRequestException or TaskCanceledException or PaymentsGatewayUnavailableException;

    private static PaymentsGatewayUnavailableException Unavailable(StripeException e) =>
        new($"Stripe is unavailable ({(int)e.HttpStatusCode}: {e.Message}).", e);
}
