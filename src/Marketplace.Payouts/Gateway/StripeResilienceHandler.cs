using System.Net;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Logging;

namespace Marketplace.Payouts;

/// <summary>
/// Sits under Stripe.net's HTTP client: waits for the client-side rate limit, then sends, retrying 429s, 5xx, 409
/// (a concurrent request with the same idempotency key), timeouts and dropped connections with exponential
/// backoff and jitter. The retried request is the same message, Idempotency-Key included, so Stripe replays
/// rather than repeats whatever the lost attempt did.
/// </summary>
internal sealed class StripeResilienceHandler(RateLimiter limiter, StripeOptions options, TimeProvider clock, ILogger<StripeResilienceHandler> logger) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        // Buffered once so the body can be sent again on a retry.
        if (request.Content is not null)
        {
            await request.Content.LoadIntoBufferAsync(cancellationToken);
        }

        for (var attempt = 1; ; attempt++)
        {
            using (var lease = await limiter.AcquireAsync(1, cancellationToken))
            {
                if (!lease.IsAcquired)
                {
                    throw new PaymentsGatewayUnavailableException("Stripe client-side rate limit queue is full.");
                }
            }

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.RequestTimeout);
            HttpResponseMessage? response = null;
            Exception? failure = null;
            try
            {
                response = await base.SendAsync(request, timeout.Token);
            }
            catch (HttpRequestException e)
            {
                failure = e;
            }
            catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
            {
                failure = e;
            }

            if (response is not null && !IsTransient(response))
            {
                return response;
            }

            if (attempt >= options.MaxAttempts)
            {
                if (response is not null)
                {
                    return response; // Stripe.net turns it into a StripeException; the gateway maps that.
                }

                throw new PaymentsGatewayUnavailableException($"Stripe did not answer {request.Method} {request.RequestUri?.AbsolutePath} after {attempt} attempts.", failure);
            }

            var delay = Backoff(attempt, response);
            logger.LogWarning("Stripe {Method} {Path} attempt {Attempt} failed ({Reason}); retrying in {Delay} ms",
                request.Method, request.RequestUri?.AbsolutePath, attempt, response is null ? failure!.GetType().Name : ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture), (int)delay.TotalMilliseconds);
            response?.Dispose();
            await Task.Delay(delay, clock, cancellationToken);
        }
    }

    private static bool IsTransient(HttpResponseMessage response)
    {
        // Stripe says so outright when it knows.
        if (response.Headers.TryGetValues("Stripe-Should-Retry", out var values))
        {
            return string.Equals(values.FirstOrDefault(), "true", StringComparison.OrdinalIgnoreCase);
        }

        return response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.Conflict || (int)response.StatusCode >= 500;
    }

    private TimeSpan Backoff(int attempt, HttpResponseMessage? response)
    {
        if (response?.Headers.RetryAfter?.Delta is { } retryAfter && retryAfter <= TimeSpan.FromMinutes(1))
        {
            return retryAfter;
        }

        var exponential = options.RetryBaseDelay * Math.Pow(2, attempt - 1);
        var capped = exponential < TimeSpan.FromSeconds(30) ? exponential : TimeSpan.FromSeconds(30);
        // Full jitter between half and all of the delay keeps several nodes from retrying in step.
        return capped * (0.5 + (Random.Shared.NextDouble() / 2));
    }
}
