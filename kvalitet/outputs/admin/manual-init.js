// Decap CMS starts itself when its script loads, unless this is set: admin.js starts it.
window.CMS_MANUAL_INIT = true;
