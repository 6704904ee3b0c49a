namespace LeadTools.Core.Import
{
    /// <summary>File formats LeadTools reads (<see cref="Auto"/> detects from content) and writes.</summary>
    public enum RecordFormat
    {
        /// <summary>Detect from the file's content (and its extension for CSV and JSON Lines).</summary>
        Auto,
        /// <summary>A Salesforce REST query result: {"totalSize","done","records":[...]}.</summary>
        SalesforceRest,
        /// <summary><c>sf data query --json</c> output: {"status":0,"result":{"records":[...]}}.</summary>
        SfCliJson,
        /// <summary><c>sf data export tree</c> file: {"records":[{"attributes":{"type","referenceId"}}]}, or a plan file listing them.</summary>
        SfTree,
        /// <summary>A Dataverse / Dynamics 365 Web API response: {"@odata.context","value":[...]}.</summary>
        Dataverse,
        /// <summary>An ActiveCampaign API v3 response: {"contacts":[...],"contactTags":[...],"tags":[...]}.</summary>
        ActiveCampaign,
        /// <summary>A JSON array of plain objects.</summary>
        JsonArray,
        /// <summary>One JSON object per line.</summary>
        JsonLines,
        /// <summary>CSV with a header row (Data Loader / Bulk API).</summary>
        Csv,
        /// <summary>A Salesforce UI API record or GraphQL (uiapi) response.</summary>
        SalesforceUiApi,
    }
}
