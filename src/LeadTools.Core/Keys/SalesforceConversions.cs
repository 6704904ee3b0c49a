using System;
using System.Globalization;
using LeadTools.Core.Records;

namespace LeadTools.Core.Keys
{
    /// <summary>What a lead export says about a conversion done in Salesforce, and what recording it did.</summary>
    public sealed class SalesforceConversion
    {
        internal SalesforceConversion(string leadId, string? contactId, DateTime at, SalesforceConversionResult? result, string message)
        {
            LeadId = leadId;
            ContactId = contactId;
            At = at;
            Result = result;
            Message = message;
        }

        /// <summary>The converted lead.</summary>
        public string LeadId { get; }
        /// <summary>The contact it was converted into (ConvertedContactId); null when the export does not carry it.</summary>
        public string? ContactId { get; }
        /// <summary>ConvertedDate (UTC), else the time it was recorded.</summary>
        public DateTime At { get; }
        /// <summary>What recording did; null when it could not be recorded (no ConvertedContactId).</summary>
        public SalesforceConversionResult? Result { get; }
        /// <summary>What happened, in words.</summary>
        public string Message { get; }
    }

    /// <summary>
    /// Seed 000: "When you then convert the Lead to a Contact, the values change and the ContactID replaces the LeadID".
    /// Conversions usually happen in Salesforce, not in LeadTools: a lead export says so with <c>IsConverted</c>,
    /// <c>ConvertedContactId</c> and <c>ConvertedDate</c>, and the key store records it from there.
    /// </summary>
    public static class SalesforceConversions
    {
        /// <summary>True when the record is a lead its export marks converted (<c>IsConverted</c> true).</summary>
        public static bool IsConvertedLead(CrmRecord record) =>
            (record.ObjectType == null || ObjectTypes.SameType(record.ObjectType, "Lead")) && IsTrue(record["IsConverted"]);

        /// <summary>
        /// Records the conversion a converted lead's export shows; null when the record is not a converted lead. Without
        /// <c>ConvertedContactId</c> nothing is recorded (the lead is not registered as its own key either: it is not one).
        /// </summary>
        public static SalesforceConversion? Record(AlternateKeyStore store, CrmRecord lead, DateTime now)
        {
            if (!IsConvertedLead(lead) || lead.Id == null) return null;
            var leadId = lead.Id;
            var contactId = lead.GetString("ConvertedContactId");
            var at = ParseDate(lead.GetString("ConvertedDate")) ?? now;
            if (string.IsNullOrWhiteSpace(contactId))
            {
                return new SalesforceConversion(leadId, null, at, null,
                    $"Lead {leadId} is converted (IsConverted) but the export has no ConvertedContactId, so the key store cannot tell which contact it became; export the lead with ConvertedContactId and ConvertedDate.");
            }
            var result = store.RecordSalesforceConversion(leadId, contactId!, "Contact", at, out var detail);
            var message = result switch
            {
                SalesforceConversionResult.Recorded => $"Lead {leadId} was converted in Salesforce into contact {contactId} on {at:yyyy-MM-dd}: recorded in the key store ({leadId} resolves to {store.Resolve(leadId)}).",
                SalesforceConversionResult.Rekeyed => $"Lead {leadId} was converted in Salesforce into contact {contactId} on {at:yyyy-MM-dd}; LeadTools had converted it offline, and its provisional contact id now resolves to {contactId}.",
                SalesforceConversionResult.AlreadyKnown => $"Lead {leadId} was converted in Salesforce into contact {contactId}: the key store already had it. {detail}",
                _ => detail,
            };
            return new SalesforceConversion(leadId, contactId!.Trim(), at, result, message);
        }

        private static DateTime? ParseDate(string? text)
        {
            if (string.IsNullOrWhiteSpace(text)) return null;
            return DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var d) ? d : (DateTime?)null;
        }

        private static bool IsTrue(object? value) => value switch
        {
            bool b => b,
            string s => string.Equals(s.Trim(), "true", StringComparison.OrdinalIgnoreCase) || s.Trim() == "1",
            long l => l != 0,
            int i => i != 0,
            _ => false,
        };
    }
}
