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
        /// <summary>Deleting by the id deletes only the record it names: a lead (or other record) that is its own ContactKey, or an id whose person is gone.</summary>
        Safe,
        /// <summary>The id is a live contact's key, or an old key (converted or merged lead, old contact id) of a live lead or contact: in a system keyed by ContactKey, deleting by it deletes that live record.</summary>
        DeletesLiveContact,
        /// <summary>The key store does not know the id: LeadTools cannot tell, so it is not safe.</summary>
        Unknown,
    }

    /// <summary>The verdict on one id planned for deletion.</summary>
    public sealed class DeletionCheck
    {
        internal DeletionCheck(string id, string? contactKey, DeletionStatus status, string reason, KeyEntry? live, CrmRecord? liveRecord)
        {
            Id = id;
            ContactKey = contactKey;
            Status = status;
            Reason = reason;
            LiveRecordId = live?.Id;
            LiveRecordType = live?.ObjectType;
            LiveRecord = liveRecord;
        }

        /// <summary>The id planned for deletion.</summary>
        public string Id { get; }
        /// <summary>What it resolves to.</summary>
        public string? ContactKey { get; }
        /// <summary>The verdict.</summary>
        public DeletionStatus Status { get; }
        /// <summary>Why, in words (naming the live record).</summary>
        public string Reason { get; }
        /// <summary>The live record a deletion by this id would delete (its id: the ContactKey), when there is one.</summary>
        public string? LiveRecordId { get; }
        /// <summary>Its object type (Contact, Lead, Account for a person account).</summary>
        public string? LiveRecordType { get; }
        /// <summary>The live record itself, when the records were given.</summary>
        public CrmRecord? LiveRecord { get; }
        /// <summary>True only for <see cref="DeletionStatus.Safe"/>: an unknown id is not safe.</summary>
        public bool IsSafe => Status == DeletionStatus.Safe;
    }

    /// <summary>How many Marketing Cloud contacts (distinct ContactKeys) a set of ids, or the whole key store, holds.</summary>
    public sealed class ContactKeyCount
    {
        /// <summary>The ids counted (records given, or every id of the store).</summary>
        public int Ids { get; internal set; }
        /// <summary>Distinct ContactKeys: the people, as Marketing Cloud counts contacts.</summary>
        public int ContactKeys { get; internal set; }
        /// <summary>ContactKeys that are leads (never converted).</summary>
        public int Leads { get; internal set; }
        /// <summary>ContactKeys that are contacts.</summary>
        public int Contacts { get; internal set; }
        /// <summary>ContactKeys that are (person) accounts.</summary>
        public int PersonAccounts { get; internal set; }
        /// <summary>ContactKeys of another or unknown object type.</summary>
        public int OtherTypes { get; internal set; }
        /// <summary>Ids that resolve to another id's ContactKey (converted leads, merged records, re-keyed provisional ids): not contacts of their own.</summary>
        public int AlternateKeys { get; internal set; }
        /// <summary>ContactKeys that are still LeadTools provisional ids (003LT…): inserted offline, not yet re-keyed to Salesforce's id.</summary>
        public int ProvisionalKeys { get; internal set; }
        /// <summary>Ids given that the key store does not know (each counted as a ContactKey of its own).</summary>
        public int UnknownIds { get; internal set; }
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

        /// <summary>
        /// Checks an id someone plans to delete: does it resolve to a live Marketing Cloud contact other than the record it
        /// names? In Marketing Cloud every lead and contact is a contact keyed by its ContactKey, so an old key of a live
        /// lead or contact (a converted lead, a merged-away record) deletes that live record. <paramref name="records"/>
        /// (by id, optional) lets the verdict name the live record.
        /// </summary>
        public static DeletionCheck CheckDeletion(AlternateKeyStore store, string id, IReadOnlyDictionary<string, CrmRecord>? records = null)
        {
            var entry = store.Find(id);
            if (entry == null)
            {
                return new DeletionCheck(id, null, DeletionStatus.Unknown,
                    $"{id} is not in the key store, so LeadTools cannot tell whether it is an old key of a live contact: not safe. Register the CRM's leads and contacts first (Import-CrmRecord ... | Add-AlternateKey).", null, null);
            }
            var key = store.Resolve(id)!;
            var root = store.Find(key)!;
            var record = Lookup(records, key);
            var named = Describe(root, record);
            if (ReferenceEquals(entry, root))
            {
                var isContact = ObjectTypes.SameType(root.ObjectType, "Contact") || ObjectTypes.SameType(root.ObjectType, "Account");
                if (root.Deleted || !isContact)
                {
                    return new DeletionCheck(id, key, DeletionStatus.Safe, $"{id} is {named}, its own ContactKey with no other record behind it: deleting it deletes only that record.", null, record);
                }
                return new DeletionCheck(id, key, DeletionStatus.DeletesLiveContact, $"{id} is the live contact itself: {named}.", root, record);
            }
            if (root.Deleted)
            {
                return new DeletionCheck(id, key, DeletionStatus.Safe, $"{id} resolves to {key}, which was deleted: no live record shares its ContactKey.", null, record);
            }
            var chain = store.Chain(id);
            var how = entry.How switch
            {
                KeyProvenance.Converted => $"converted on {entry.At:yyyy-MM-dd}",
                KeyProvenance.Merged => $"merged away on {entry.At:yyyy-MM-dd}",
                KeyProvenance.Rekeyed => $"a provisional id re-keyed on {entry.At:yyyy-MM-dd}",
                _ => "linked",
            };
            return new DeletionCheck(id, key, DeletionStatus.DeletesLiveContact,
                $"{id} ({entry.ObjectType ?? "record"}, {how}) resolves to live {named} via {string.Join(" -> ", chain)}: in a system keyed by ContactKey (Marketing Cloud), deleting by {id} deletes that {root.ObjectType?.ToLowerInvariant() ?? "record"}.", root, record);
        }

        private static CrmRecord? Lookup(IReadOnlyDictionary<string, CrmRecord>? records, string key)
        {
            if (records == null) return null;
            if (records.TryGetValue(key, out var r)) return r;
            return key.Length == 18 && records.TryGetValue(key.Substring(0, 15), out r) ? r : null;
        }

        private static string Describe(KeyEntry root, CrmRecord? record)
        {
            var text = $"{root.ObjectType ?? "record"} {root.Id}";
            if (record == null) return text;
            var name = record.GetString("Name");
            if (string.IsNullOrWhiteSpace(name)) name = ((record.GetString("FirstName") ?? string.Empty) + " " + (record.GetString("LastName") ?? string.Empty)).Trim();
            var email = record.GetString("Email") ?? record.GetString("PersonEmail");
            if (!string.IsNullOrWhiteSpace(name)) text += " " + name;
            if (!string.IsNullOrWhiteSpace(email)) text += " <" + email + ">";
            return text;
        }

        /// <summary>
        /// How many Marketing Cloud contacts there really are: distinct ContactKeys, by object type. With
        /// <paramref name="ids"/> (id and object type of each record of an export), among those records (a converted lead
        /// and its contact count once; an id the store does not know counts as its own); without, the whole store (every
        /// live ContactKey).
        /// </summary>
        public static ContactKeyCount Count(AlternateKeyStore store, IEnumerable<KeyValuePair<string, string?>>? ids = null)
        {
            var result = new ContactKeyCount();
            var keys = new Dictionary<string, string?>(StringComparer.Ordinal);
            if (ids == null)
            {
                foreach (var e in store.Entries)
                {
                    result.Ids++;
                    if (e.Parent != null)
                    {
                        result.AlternateKeys++;
                        continue;
                    }
                    if (e.Deleted) continue;
                    keys[e.Id] = e.ObjectType;
                }
            }
            else
            {
                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (var pair in ids)
                {
                    var entry = store.Find(pair.Key);
                    var id = entry?.Id ?? pair.Key.Trim();
                    if (id.Length == 0 || !seen.Add(id)) continue;
                    result.Ids++;
                    if (entry == null)
                    {
                        result.UnknownIds++;
                        if (!keys.ContainsKey(id)) keys[id] = pair.Value;
                        continue;
                    }
                    var key = store.Resolve(id)!;
                    if (!string.Equals(key, id, StringComparison.Ordinal)) result.AlternateKeys++;
                    var root = store.Find(key)!;
                    keys[key] = root.ObjectType ?? pair.Value;
                }
            }
            foreach (var k in keys)
            {
                result.ContactKeys++;
                if (ObjectTypes.SameType(k.Value, "Lead")) result.Leads++;
                else if (ObjectTypes.SameType(k.Value, "Contact")) result.Contacts++;
                else if (ObjectTypes.SameType(k.Value, "Account")) result.PersonAccounts++;
                else result.OtherTypes++;
                if (AlternateKeyStore.LooksProvisional(k.Key)) result.ProvisionalKeys++;
            }
            return result;
        }
    }
}
