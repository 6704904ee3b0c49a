using System;
using System.Management.Automation;
using LeadTools.Core.Keys;

namespace LeadTools.PowerShell
{
    /// <summary>What an id resolves to (Resolve-ContactKey).</summary>
    public sealed class ContactKeyResolution
    {
        internal ContactKeyResolution(string id, string? contactKey, string[] chain, KeyEntry? entry)
        {
            Id = id;
            ContactKey = contactKey;
            Chain = chain;
            Known = entry != null;
            How = entry?.How.ToString();
            ObjectType = entry?.ObjectType;
        }

        /// <summary>The id asked about.</summary>
        public string Id { get; }
        /// <summary>The person's current ContactKey (null when the id is unknown).</summary>
        public string? ContactKey { get; }
        /// <summary>True when the key store knows the id.</summary>
        public bool Known { get; }
        /// <summary>How the id got its ContactKey (Created, Converted, Merged).</summary>
        public string? How { get; }
        /// <summary>The id's object type.</summary>
        public string? ObjectType { get; }
        /// <summary>The ids from this one to the ContactKey.</summary>
        public string[] Chain { get; }
    }

    /// <summary>One key of a person with its provenance (Get-AlternateKey, Add-AlternateKey -PassThru).</summary>
    public sealed class AlternateKey
    {
        internal AlternateKey(KeyEntry entry, string contactKey)
        {
            Id = entry.Id;
            ContactKey = contactKey;
            ObjectType = entry.ObjectType;
            How = entry.How.ToString();
            At = entry.At;
            From = entry.From ?? entry.Parent;
            Deleted = entry.Deleted;
        }

        /// <summary>The person's current ContactKey.</summary>
        public string ContactKey { get; }
        /// <summary>The alternate key (an id the person had).</summary>
        public string Id { get; }
        /// <summary>Its object type.</summary>
        public string? ObjectType { get; }
        /// <summary>Created, Converted or Merged.</summary>
        public string How { get; }
        /// <summary>When (UTC).</summary>
        public DateTime At { get; }
        /// <summary>The id it came from or went into.</summary>
        public string? From { get; }
        /// <summary>True for a deleted record (a merge loser).</summary>
        public bool Deleted { get; }
    }

    /// <summary>A piece of engagement history (Get-ContactHistory).</summary>
    public sealed class ContactHistoryEntry
    {
        internal ContactHistoryEntry(HistoryEntry entry)
        {
            ContactKey = entry.ContactKey;
            MatchedId = entry.MatchedId;
            Field = entry.Field;
            ObjectType = entry.ObjectType;
            RecordId = entry.Record.Id;
            Date = entry.Date;
            Record = RecordConversion.ToPSObject(entry.Record);
        }

        /// <summary>The person's current ContactKey.</summary>
        public string ContactKey { get; }
        /// <summary>The key the record is filed under.</summary>
        public string MatchedId { get; }
        /// <summary>The field that holds it.</summary>
        public string Field { get; }
        /// <summary>The record's object type.</summary>
        public string? ObjectType { get; }
        /// <summary>The record's id.</summary>
        public string? RecordId { get; }
        /// <summary>The record's date.</summary>
        public string? Date { get; }
        /// <summary>The record.</summary>
        public PSObject Record { get; }
    }

    /// <summary>The verdict on an id planned for deletion (Test-ContactKeyDeletion).</summary>
    public sealed class ContactKeyDeletionCheck
    {
        internal ContactKeyDeletionCheck(DeletionCheck check)
        {
            Id = check.Id;
            ContactKey = check.ContactKey;
            Status = check.Status.ToString();
            IsSafe = check.IsSafe;
            Reason = check.Reason;
            LiveRecordId = check.LiveRecordId;
            LiveRecordType = check.LiveRecordType;
            LiveRecord = check.LiveRecord == null || check.LiveRecordId == null ? null : RecordConversion.ToPSObject(check.LiveRecord);
        }

        /// <summary>The id planned for deletion.</summary>
        public string Id { get; }
        /// <summary>What it resolves to.</summary>
        public string? ContactKey { get; }
        /// <summary>Safe, DeletesLiveContact or Unknown.</summary>
        public string Status { get; }
        /// <summary>True only for Safe: an id that deletes a live contact, or that the key store does not know, is not safe.</summary>
        public bool IsSafe { get; }
        /// <summary>Why, naming the live record.</summary>
        public string Reason { get; }
        /// <summary>The live lead or contact a deletion by this id would delete (its id, the ContactKey); null when Safe or Unknown.</summary>
        public string? LiveRecordId { get; }
        /// <summary>Its object type (Contact, Lead, Account for a person account).</summary>
        public string? LiveRecordType { get; }
        /// <summary>The live record, when it was among the records given with -ExistingRecord.</summary>
        public PSObject? LiveRecord { get; }
    }

    /// <summary>How many Marketing Cloud contacts there really are: distinct ContactKeys, by type (Measure-ContactKey).</summary>
    public sealed class ContactKeyMeasure
    {
        internal ContactKeyMeasure(ContactKeyCount count, bool wholeStore)
        {
            Scope = wholeStore ? "KeyStore" : "Records";
            Ids = count.Ids;
            ContactKeys = count.ContactKeys;
            Leads = count.Leads;
            Contacts = count.Contacts;
            PersonAccounts = count.PersonAccounts;
            OtherTypes = count.OtherTypes;
            AlternateKeys = count.AlternateKeys;
            ProvisionalKeys = count.ProvisionalKeys;
            UnknownIds = count.UnknownIds;
        }

        /// <summary>KeyStore (every id the store holds) or Records (the ids of the records given).</summary>
        public string Scope { get; }
        /// <summary>The ids counted.</summary>
        public int Ids { get; }
        /// <summary>Distinct ContactKeys: how many contacts Marketing Cloud has for these people.</summary>
        public int ContactKeys { get; }
        /// <summary>ContactKeys that are leads.</summary>
        public int Leads { get; }
        /// <summary>ContactKeys that are contacts.</summary>
        public int Contacts { get; }
        /// <summary>ContactKeys that are person accounts.</summary>
        public int PersonAccounts { get; }
        /// <summary>ContactKeys of another or unknown type.</summary>
        public int OtherTypes { get; }
        /// <summary>Ids that are old keys of another ContactKey (converted leads, merged records, re-keyed provisional ids).</summary>
        public int AlternateKeys { get; }
        /// <summary>ContactKeys still provisional (003LT…): not yet re-keyed to the id Salesforce assigned.</summary>
        public int ProvisionalKeys { get; }
        /// <summary>Ids of the records given that the key store does not know (each counted as its own ContactKey).</summary>
        public int UnknownIds { get; }
    }
}
