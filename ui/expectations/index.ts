// The expectations checklist (issue 11): a check report ticked off live, for the popup and the
// web app (import './checklist.css' for the looks). Imports protocol/ only.
export { Checklist, StatusMark, verdictOf, type ChecklistProps } from './Checklist';
export { resultStatus, STATUS_TEXT, type Status } from './status';
