using System;
using System.Collections.Generic;
using System.Linq;
using LeadTools.Core.Records;

namespace LeadTools.Core.Keys
{
    /// <summary>One piece of a person's engagement history found under one of their keys.</summary>
    public sealed class HistoryEntry
    {
        internal HistoryEntry(string contactKey, string matchedId, string field, CrmRecord record, string? date)
        {
            ContactKey = contactKey;
            MatchedId = matchedId;
            Field = field;
            Record = record;
            Date = date;
        }

        /// <summary>The person's current ContactKey.</summary>
        public string ContactKey { get; }
        /// <summary>The key the record is filed under (an old lead id, a merged contact id...).</summary>
        public string MatchedId { get; }
        /// <summary>The field that holds it.</summary>
        public string Field { get; }
        /// <summary>The engagement record (campaign member, task, email result...).</summary>
        public CrmRecord Record { get; }
        /// <summary>The record's date (sent, activity, created), as text, when it has one.</summary>
        public string? Date { get; }
        /// <summary>The record's object type.</summary>
        public string? ObjectType => Record.ObjectType;
    }

    /// <summary>Whether deleting an id is safe.</summary>
    public enum DeletionStatus
    {
        /// <summary>The id does not resolve to a live contact.</summary>
        Safe,
        /// <summary>The id is a live contact's key or an old key of it: deleting by it deletes the contact.</summary>
        DeletesLiveContact,
        /// <summary>The key store does not know the id.</summary>
        Unknown,
    }

    /// <summary>The verdict on one id planned for deletion.</summary>
    public sealed class DeletionCheck
    {
        internal DeletionCheck(string id, string? contactKey, DeletionStatus status, string reason)
        {
            Id = id;
            ContactKey = contactKey;
            Status = status;
            Reason = reason;
        }

        /// <summary>The id planned for deletion.</summary>
        public string Id { get; }
        /// <summary>What it resolves to.</summary>
        public string? ContactKey { get; }
        /// <summary>The verdict.</summary>
        public DeletionStatus Status { get; }
        /// <summary>Why, in words.</summary>
        public string Reason { get; }
        /// <summary>True when the deletion can go ahead.</summary>
        public bool IsSafe => Status != DeletionStatus.DeletesLiveContact;
    }

    /// <summary>Questions about people asked of the key store: their history across keys, and deletion safety.</summary>
    public static class PersonQueries
    {
        private static readonly string[] DateFields =
        {
            "et4ae5__DateSent__c", "et4ae5__DateOpened__c", "ActivityDate", "ActivityDateTime", "FCRM__FCR_Response_Date__c", "FirstRespondedDate", "CreatedDate", "LastModifiedDate",
        };

        /// <summary>
        /// Every record among <paramref name="records"/> that refers (in any field) to any key the person behind
        /// <paramref name="id"/> ever had, oldest first.
        /// </summary>
        public static IReadOnlyList<HistoryEntry> History(AlternateKeyStore store, string id, IEnumerable<CrmRecord> records)
        {
            var contactKey = store.Resolve(id) ?? id;
            var keys = new HashSet<string>(store.Find(id) == null ? new[] { id } : store.KeysOf(id).Select(k => k.Id), StringComparer.Ordinal);
            // Salesforce reports and some packages store 15-character ids: match those too.
            var shortKeys = keys.Where(k => k.Length == 18).ToDictionary(k => k.Substring(0, 15), k => k, StringComparer.Ordinal);
            var result = new List<HistoryEntry>();
            foreach (var record in records)
            {
                for (var i = 0; i < record.Count; i++)
                {
                    if (!(record.ValueAt(i) is string value)) continue;
                    var name = record.NameAt(i);
                    if (string.Equals(name, "Id", StringComparison.OrdinalIgnoreCase)) continue;
                    string? matched = keys.Contains(value) ? value : shortKeys.TryGetValue(value, out var full) ? full : null;
                    if (matched == null) continue;
                    result.Add(new HistoryEntry(contactKey, matched, name, record, DateOf(record)));
                    break;
                }
            }
            return result.OrderBy(h => h.Date ?? string.Empty, StringComparer.Ordinal).ToList();
        }

        private static string? DateOf(CrmRecord record)
        {
            foreach (var f in DateFields)
            {
                var v = record.GetString(f);
                if (!string.IsNullOrEmpty(v)) return v;
            }
            return null;
        }

        /// <summary>Checks an id someone plans to delete: does it resolve to a live contact?</summary>
        public static DeletionCheck CheckDeletion(AlternateKeyStore store, string id)
        {
            var entry = store.Find(id);
            if (entry == null) return new DeletionCheck(id, null, DeletionStatus.Unknown, $"{id} is not in the key store; LeadTools cannot tell what it belongs to.");
            var key = store.Resolve(id)!;
            var root = store.Find(key)!;
            var liveContact = !root.Deleted && (ObjectTypes.SameType(root.ObjectType, "Contact") || ObjectTypes.SameType(root.ObjectType, "Account"));
            if (!liveContact)
            {
                return new DeletionCheck(id, key, DeletionStatus.Safe, string.Equals(key, id, StringComparison.Ordinal)
                    ? $"{id} is a {root.ObjectType ?? "record"} of its own, not a contact."
                    : $"{id} resolves to {key}, a {root.ObjectType ?? "record"}, not a live contact.");
            }
            if (string.Equals(key, id, StringComparison.Ordinal))
            {
                return new DeletionCheck(id, key, DeletionStatus.DeletesLiveContact, $"{id} is the live contact itself.");
            }
            var chain = store.Chain(id);
            var how = entry.How == KeyProvenance.Converted ? $"converted to it on {entry.At:yyyy-MM-dd}" : entry.How == KeyProvenance.Merged ? $"merged into it on {entry.At:yyyy-MM-dd}" : "linked to it";
            return new DeletionCheck(id, key, DeletionStatus.DeletesLiveContact,
                $"{id} ({entry.ObjectType ?? "record"}, {how}) resolves to live contact {key} via {string.Join(" -> ", chain)}: deleting by {id} in a system keyed by ContactKey deletes the contact.");
        }
    }
}
