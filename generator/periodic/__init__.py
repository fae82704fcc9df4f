"""Weekly (周报) and annual (年度报告) reports: the monthly bulletin's figures over a week or a year, frozen as
records in records/periodic/ and verified from Git by the bulletin's own machinery."""
