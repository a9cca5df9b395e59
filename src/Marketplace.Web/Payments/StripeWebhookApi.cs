using Hangfire;
using Marketplace.Payouts;
using Marketplace.Web.Hosting;

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

    private static async Task<IResult> ReceiveAsync(HttpRequest request, ReceiveStripeWebhook receive, IBackgroundJobClient background, CancellationToken ct)
    {
        // The signature covers the exact bytes Stripe sent: read them unmodified.
        using var reader = new StreamReader(request.Body);
        var payload = await reader.ReadToEndAsync(ct);
        var receipt = await receive.ExecuteAsync(payload, request.Headers["Stripe-Signature"], ct);
        switch (receipt.Status)
        {
            case WebhookReceiptStatus.Accepted:
                var eventId = receipt.EventId!;
                background.Enqueue<MoneyJobs>(j => j.ProcessEventAsync(eventId, CancellationToken.None));
                return TypedResults.Ok();
            case WebhookReceiptStatus.Duplicate:
                return TypedResults.Ok();
            case WebhookReceiptStatus.NotConfigured:
                return Failure.Invalid("Stripe-Signature", "No Stripe webhook secret is set: this server runs in dry-run mode.", "Webhooks are not configured").ToProblem();
            default:
                return Failure.Invalid("Stripe-Signature", "The Stripe-Signature header does not verify against this endpoint's secret.", "Bad signature").ToProblem();
        }
    }
}
