using System.Globalization;
using System.Text.Json.Nodes;

namespace Marketplace.StripeFake;

/// <summary>The API objects: routing, creation, retrieval and lists, in Stripe's shapes.</summary>
public sealed partial class FakeStripeServer
{
    private (int Status, JsonObject Body) Route(string method, string path, Dictionary<string, string?> form, Dictionary<string, string?> query, string? stripeAccount)
    {
        var segments = path.Trim('/').Split('/');
        return (method, segments) switch
        {
            ("POST", ["v1", "payment_intents"]) => (200, CreatePaymentIntent(form)),
            ("GET", ["v1", "payment_intents", var id]) => Find(_paymentIntents, id, "payment_intent"),
            ("POST", ["v1", "transfers"]) => CreateTransfer(form),
            ("GET", ["v1", "transfers"]) => (200, ListTransfers(query)),
            ("GET", ["v1", "transfers", var id]) => FindTransfer(id),
            ("POST", ["v1", "transfers", var id, "reversals"]) => CreateTransferReversal(id, form),
            ("GET", ["v1", "transfers", var id, "reversals"]) => ListReversals(id),
            ("POST", ["v1", "refunds"]) => CreateRefund(form),
            ("POST", ["v1", "accounts"]) => (200, NewAccount((string?)form.GetValueOrDefault("email"), form.GetValueOrDefault("country") ?? "US", Metadata(form))),
            ("GET", ["v1", "accounts", var id]) => Find(_accounts, id, "account"),
            ("POST", ["v1", "account_links"]) => CreateAccountLink(form, stripeAccount),
            _ => (404, Error("invalid_request_error", null, $"Unrecognized request URL ({method}: {path}).")),
        };
    }

    private JsonObject CreatePaymentIntent(Dictionary<string, string?> form)
    {
        var id = "pi_" + NewId();
        var intent = new JsonObject
        {
            ["id"] = id,
            ["object"] = "payment_intent",
            ["amount"] = long.Parse(form["amount"]!, CultureInfo.InvariantCulture),
            ["amount_received"] = 0,
            ["currency"] = form["currency"],
            ["status"] = "requires_payment_method",
            ["client_secret"] = $"{id}_secret_{NewId()}",
            ["description"] = form.GetValueOrDefault("description"),
            ["metadata"] = Metadata(form),
            ["created"] = Unix(Now()),
            ["livemode"] = false,
        };
        lock (_paymentIntents)
        {
            _paymentIntents[id] = intent;
        }

        return intent;
    }

    private (int, JsonObject) CreateTransfer(Dictionary<string, string?> form)
    {
        var destination = form["destination"]!;
        JsonObject? account;
        lock (_accounts)
        {
            account = _accounts.GetValueOrDefault(destination);
        }

        if (account is null)
        {
            return (400, Error("invalid_request_error", "resource_missing", $"No such destination: '{destination}'", "destination"));
        }

        if (account["payouts_enabled"]?.GetValue<bool>() != true)
        {
            return (400, Error("invalid_request_error", "insufficient_capabilities_for_transfer", "Your destination account needs to have at least one of the following capabilities enabled: transfers, crypto_transfers, legacy_payments", "destination"));
        }

        var transfer = NewTransfer(long.Parse(form["amount"]!, CultureInfo.InvariantCulture), form["currency"]!, destination, form.GetValueOrDefault("transfer_group"), Metadata(form));
        return (200, transfer);
    }

    private JsonObject NewTransfer(long amount, string currency, string destination, string? group, JsonObject metadata)
    {
        var id = "tr_" + NewId();
        var transfer = new JsonObject
        {
            ["id"] = id,
            ["object"] = "transfer",
            ["amount"] = amount,
            ["amount_reversed"] = 0,
            ["currency"] = currency.ToLowerInvariant(),
            ["destination"] = destination,
            ["transfer_group"] = group,
            ["metadata"] = metadata,
            ["reversed"] = false,
            ["created"] = Unix(Now()),
            ["livemode"] = false,
            ["reversals"] = List([], $"/v1/transfers/{id}/reversals"),
        };
        lock (_transfers)
        {
            _transfers.Add(transfer);
        }

        return transfer;
    }

    private (int, JsonObject) FindTransfer(string id)
    {
        lock (_transfers)
        {
            return _transfers.FirstOrDefault(t => (string)t["id"]! == id) is { } transfer
                ? (200, transfer)
                : (404, Error("invalid_request_error", "resource_missing", $"No such transfer: '{id}'", "id"));
        }
    }

    private JsonObject ListTransfers(Dictionary<string, string?> query)
    {
        long? Bound(string name) => query.GetValueOrDefault(name) is { } value ? long.Parse(value, CultureInfo.InvariantCulture) : null;
        var gte = Bound("created[gte]");
        var lt = Bound("created[lt]");
        var limit = (int)(Bound("limit") ?? 10);
        var group = query.GetValueOrDefault("transfer_group");
        var destination = query.GetValueOrDefault("destination");
        List<JsonObject> matching;
        lock (_transfers)
        {
            // Newest first, as Stripe lists.
            matching = [.. Enumerable.Reverse(_transfers).Where(t =>
            {
                var created = t["created"]!.GetValue<long>();
                return (gte is null || created >= gte) && (lt is null || created < lt)
                    && (group is null || (string?)t["transfer_group"] == group) && (destination is null || (string?)t["destination"] == destination);
            })];
        }

        if (query.GetValueOrDefault("starting_after") is { } after)
        {
            matching = [.. matching.SkipWhile(t => (string)t["id"]! != after).Skip(1)];
        }

        return List(matching.Take(limit), "/v1/transfers", matching.Count > limit);
    }

    private (int, JsonObject) ListReversals(string transferId)
    {
        lock (_transfers)
        {
            return _transfers.FirstOrDefault(t => (string)t["id"]! == transferId) is { } transfer
                ? (200, List(transfer["reversals"]!["data"]!.AsArray().Select(r => r!.AsObject()).Reverse(), $"/v1/transfers/{transferId}/reversals"))
                : (404, Error("invalid_request_error", "resource_missing", $"No such transfer: '{transferId}'", "id"));
        }
    }

    private (int, JsonObject) CreateRefund(Dictionary<string, string?> form)
    {
        var intentId = form.GetValueOrDefault("payment_intent") ?? "";
        JsonObject? intent;
        lock (_paymentIntents)
        {
            intent = _paymentIntents.GetValueOrDefault(intentId);
        }

        if (intent is null)
        {
            return (400, Error("invalid_request_error", "resource_missing", $"No such payment_intent: '{intentId}'", "payment_intent"));
        }

        var received = intent["amount_received"]!.GetValue<long>();
        long refunded;
        lock (_refunds)
        {
            refunded = _refunds.Values.Where(r => (string?)r["payment_intent"] == intentId).Sum(r => r["amount"]!.GetValue<long>());
        }

        var amount = form.GetValueOrDefault("amount") is { } value ? long.Parse(value, CultureInfo.InvariantCulture) : received - refunded;
        if (amount <= 0 || amount > received - refunded)
        {
            return (400, Error("invalid_request_error", "amount_too_large", $"Refund amount ({amount}) is greater than unrefunded amount on charge ({received - refunded})", "amount"));
        }

        var id = "re_" + NewId();
        var refund = new JsonObject
        {
            ["id"] = id,
            ["object"] = "refund",
            ["amount"] = amount,
            ["currency"] = (string?)intent["currency"],
            ["payment_intent"] = intentId,
            ["charge"] = (string?)intent["latest_charge"],
            ["status"] = NewRefundStatus,
            ["metadata"] = Metadata(form),
            ["created"] = Unix(Now()),
        };
        lock (_refunds)
        {
            _refunds[id] = refund;
        }

        return (200, refund);
    }

    private JsonObject NewAccount(string? email, string country, JsonObject? metadata)
    {
        var id = "acct_" + NewId();
        var account = new JsonObject
        {
            ["id"] = id,
            ["object"] = "account",
            ["type"] = "express",
            ["email"] = email,
            ["country"] = country,
            ["payouts_enabled"] = false,
            ["charges_enabled"] = false,
            ["details_submitted"] = false,
            ["metadata"] = metadata ?? [],
            ["created"] = Unix(Now()),
        };
        lock (_accounts)
        {
            _accounts[id] = account;
        }

        return account;
    }

    private (int, JsonObject) CreateAccountLink(Dictionary<string, string?> form, string? stripeAccount)
    {
        var accountId = form.GetValueOrDefault("account") ?? stripeAccount ?? "";
        lock (_accounts)
        {
            if (!_accounts.ContainsKey(accountId))
            {
                return (400, Error("invalid_request_error", "resource_missing", $"No such account: '{accountId}'", "account"));
            }
        }

        return (200, new JsonObject
        {
            ["object"] = "account_link",
            ["url"] = new Uri(BaseUrl, $"/connect/onboarding/{accountId}?return={Uri.EscapeDataString(form.GetValueOrDefault("return_url") ?? "")}").ToString(),
            ["created"] = Unix(Now()),
            ["expires_at"] = Unix(Now().AddMinutes(5)),
        });
    }

    private static (int, JsonObject) Find(Dictionary<string, JsonObject> objects, string id, string kind)
    {
        lock (objects)
        {
            return objects.TryGetValue(id, out var found)
                ? (200, found)
                : (404, Error("invalid_request_error", "resource_missing", $"No such {kind}: '{id}'", "id"));
        }
    }

    private static JsonObject Metadata(Dictionary<string, string?> form)
    {
        var metadata = new JsonObject();
        foreach (var (name, value) in form.Where(p => p.Key.StartsWith("metadata[", StringComparison.Ordinal) && p.Key.EndsWith(']')))
        {
            metadata[name["metadata[".Length..^1]] = value;
        }

        return metadata;
    }

    private static JsonObject List(IEnumerable<JsonObject> items, string url, bool hasMore = false) => new()
    {
        ["object"] = "list",
        ["data"] = new JsonArray([.. items.Select(i => (JsonNode)i.DeepClone())]),
        ["has_more"] = hasMore,
        ["url"] = url,
    };

    private static JsonObject Error(string type, string? code, string message, string? param = null) => new()
    {
        ["error"] = new JsonObject { ["type"] = type, ["code"] = code, ["message"] = message, ["param"] = param },
    };

    private JsonObject AddReversal(JsonObject transfer, long amount, JsonObject metadata)
    {
        var reversal = new JsonObject
        {
            ["id"] = "trr_" + NewId(),
            ["object"] = "transfer_reversal",
            ["amount"] = amount,
            ["currency"] = transfer["currency"]!.GetValue<string>(),
            ["transfer"] = transfer["id"]!.GetValue<string>(),
            ["metadata"] = metadata,
            ["created"] = Unix(Now()),
        };
        var reversed = Long(transfer["amount_reversed"]) + amount;
        transfer["amount_reversed"] = reversed;
        transfer["reversed"] = reversed == Long(transfer["amount"]);
        transfer["reversals"]!["data"]!.AsArray().Add(reversal);
        return reversal;
    }

    private (int, JsonObject) CreateTransferReversal(string transferId, Dictionary<string, string?> form)
    {
        lock (_transfers)
        {
            if (_transfers.FirstOrDefault(t => (string)t["id"]! == transferId) is not { } transfer)
            {
                return (404, Error("invalid_request_error", "resource_missing", $"No such transfer: '{transferId}'", "id"));
            }

            var left = Long(transfer["amount"]) - Long(transfer["amount_reversed"]);
            var amount = form.GetValueOrDefault("amount") is { } value ? long.Parse(value, CultureInfo.InvariantCulture) : left;
            if (amount <= 0 || amount > left)
            {
                return (400, Error("invalid_request_error", "amount_too_large", $"Amount {amount} is more than the {left} left on transfer {transferId}.", "amount"));
            }

            return (200, AddReversal(transfer, amount, Metadata(form)).DeepClone().AsObject());
        }
    }

    /// <summary>A whole number from a node, whether it was set from an int, a long or parsed JSON.</summary>
    private static long Long(JsonNode? node) =>
        node!.AsValue() switch
        {
            var v when v.TryGetValue<long>(out var l) => l,
            var v when v.TryGetValue<int>(out var i) => i,
            var v => v.GetValue<System.Text.Json.JsonElement>().GetInt64(),
        };
}
