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
        }

        /// <summary>The id planned for deletion.</summary>
        public string Id { get; }
        /// <summary>What it resolves to.</summary>
        public string? ContactKey { get; }
        /// <summary>Safe, DeletesLiveContact or Unknown.</summary>
        public string Status { get; }
        /// <summary>False when deleting by this id would delete a live contact.</summary>
        public bool IsSafe { get; }
        /// <summary>Why.</summary>
        public string Reason { get; }
    }
}
