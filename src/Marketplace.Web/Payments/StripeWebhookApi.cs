using System.Buffers;
using System.Text;
using Hangfire;
using Marketplace.Payouts;
using Marketplace.Web.Hosting;
using Microsoft.AspNetCore.Http.Features;

namespace Marketplace.Web.Payments;

/// <summary><c>POST /stripe/webhook</c>: Stripe's events, verified by signature, processed by a Hangfire job.</summary>
public static class StripeWebhookApi
{
    public static IEndpointRouteBuilder MapStripeWebhookApi(this IEndpointRouteBuilder routes)
    {
        // Stripe calls this; the signature, not a session, is what authenticates it.
        routes.MapPost("/stripe/webhook", ReceiveAsync).AllowAnonymous().DisableAntiforgery().WithTags("Stripe");
        return routes;
    }

    private static async Task<IResult> ReceiveAsync(HttpContext context, ReceiveStripeWebhook receive, IBackgroundJobClient background, CancellationToken ct)
    {
        // Anyone may call this endpoint, so nothing is read before what is cheap to check: a signature header of the
        // right shape and age, and a declared length under the limit. Then at most the limit is read. The server's
        // own limit goes down too, so it does not drain a refused flood either: it closes the connection.
        var limit = receive.MaxBodyBytes;
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = limit;
        }

        var signature = context.Request.Headers["Stripe-Signature"].ToString();
        if (receive.Precheck(signature) is { } refused)
        {
            return Refusal(refused);
        }

        if (context.Request.ContentLength > limit)
        {
            return TooLarge(limit);
        }

        // The signature covers the exact bytes Stripe sent: read them unmodified.
        if (await ReadAtMostAsync(context.Request.Body, limit, ct) is not { } payload)
        {
            return TooLarge(limit);
        }

        var receipt = await receive.ExecuteAsync(payload, signature, ct);
        if (receipt.Status == WebhookReceiptStatus.Accepted)
        {
            var eventId = receipt.EventId!;
            background.Enqueue<MoneyJobs>(j => j.ProcessEventAsync(eventId, CancellationToken.None));
        }

        return receipt.Status is WebhookReceiptStatus.Accepted or WebhookReceiptStatus.Duplicate ? TypedResults.Ok() : Refusal(receipt.Status);
    }

    /// <summary>The body as UTF-8, or null when it is longer than <paramref name="limit"/> bytes (reading stops there).</summary>
    private static async Task<string?> ReadAtMostAsync(Stream body, int limit, CancellationToken ct)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(limit + 1);
        try
        {
            var length = 0;
            int read;
            while (length <= limit && (read = await body.ReadAsync(buffer.AsMemory(length, limit + 1 - length), ct)) > 0)
            {
                length += read;
            }

            return length > limit ? null : Encoding.UTF8.GetString(buffer, 0, length);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return null;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static IResult TooLarge(int limit) =>
        new Failure(FailureKind.PayloadTooLarge, "Payload too large", $"A Stripe event is at most {limit} bytes here; this body is larger and was not read.").ToProblem();

    private static IResult Refusal(WebhookReceiptStatus status) => status == WebhookReceiptStatus.NotConfigured
        ? Failure.Invalid("Stripe-Signature", "No Stripe webhook secret is set: this server runs in dry-run mode.", "Webhooks are not configured").ToProblem()
        : Failure.Invalid("Stripe-Signature", "The Stripe-Signature header does not verify against this endpoint's secret.", "Bad signature").ToProblem();
}
