/* Loaded just before decap-cms.js. Started as it loads, the CMS could read its configuration and its
   phrases before editor.js registers the handbook's formats, id widget and Vietnamese phrases (the
   scripts between them may arrive later than config.yml): it waits, and editor.js starts it. */
window.CMS_MANUAL_INIT = true;
